import COspreyBuild
import OspreyCore

enum Build {
    static let version = "0.1.0"

    static let info = BuildInfo(
        version: version,
        revision: String(cString: osprey_build_revision()),
        swiftVersion: swiftVersion)

    static var swiftVersion: String {
        #if compiler(>=6.4)
        "6.4+"
        #elseif compiler(>=6.3)
        "6.3"
        #elseif compiler(>=6.2)
        "6.2"
        #else
        "6.1"
        #endif
    }
}

extension BuildInfo {
    var versionLine: String { "\(version) (revision \(revision), Swift \(swiftVersion))" }
}
