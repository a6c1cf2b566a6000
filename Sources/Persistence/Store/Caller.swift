import Workflow

/// Where a request came from, recorded in the audit log.
public enum Channel: String, Sendable, Codable {
    case api
    case cli
}

/// An authenticated actor and the channel it used.
public struct Caller: Sendable, Hashable {
    public var actor: Actor
    public var channel: Channel

    public init(actor: Actor, channel: Channel) {
        self.actor = actor
        self.channel = channel
    }
}
