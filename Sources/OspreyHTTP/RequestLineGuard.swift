import NIOCore

/// Put at the front of a new connection's pipeline (before the HTTP/1 parser): the connection's first
/// request line must read `METHOD target HTTP/1.x` (after at most one empty line, RFC 9112 §2.2). An HTTP/0.9
/// line, another blank line or anything else is answered `400 Bad Request` and closed; the parser would
/// take an HTTP/0.9 line as a request and answer it with no status at all. Then it steps aside.
final class RequestLineGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// A request line longer than this is refused.
    static let maxLine = 8192
    private var pending: ByteBuffer?
    private var skippedEmptyLine = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if pending == nil { pending = incoming } else { pending!.writeBuffer(&incoming) }
        while let buffer = pending, let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
            var line = buffer.readableBytesView[buffer.readerIndex..<newline]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            if line.isEmpty && !skippedEmptyLine {
                skippedEmptyLine = true
                pending!.moveReaderIndex(to: newline + 1)
                continue
            }
            guard Self.isRequestLine(line) else { return refuse(context) }
            context.fireChannelRead(wrapInboundOut(buffer))
            pending = nil
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            return
        }
        if (pending?.readableBytes ?? 0) > Self.maxLine { refuse(context) }
    }

    /// `token SP target SP HTTP/1.0|1.1`.
    static func isRequestLine(_ line: some Collection<UInt8>) -> Bool {
        let parts = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty,
              parts[0].allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) else { return false }
        return parts[2].elementsEqual("HTTP/1.1".utf8) || parts[2].elementsEqual("HTTP/1.0".utf8)
    }

    private func refuse(_ context: ChannelHandlerContext) {
        pending = nil
        let reply = "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 35\r\nConnection: close\r\n\r\nnot an HTTP/1.1 request line here\r\n"
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: reply))).whenComplete { _ in
            context.close(promise: nil)
        }
    }
}
