import Glibc

/// A TCP socket connected to 127.0.0.1:`port`, for tests that speak raw HTTP; nil when the
/// socket or the connect failed (the caller names the step). The caller closes it.
func loopbackSocket(port: Int) -> (fd: Int32?, failedStep: String?) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return (nil, "socket") }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else {
        close(fd)
        return (nil, "connect")
    }
    return (fd, nil)
}
