/// The one error shape: a one-sentence description for people, and a code from a bounded set for machines
/// (`error.kind` in the journal, so failures can be filtered and counted by cause). Every error type of
/// Osprey's conforms; an error from outside Osprey has the code `other`.
public protocol CodedError: Error, CustomStringConvertible {
    /// snake_case, one of a fixed set per type.
    var code: String { get }
}

/// The code of any error.
public func errorCode(_ error: any Error) -> String {
    (error as? any CodedError)?.code ?? "other"
}
