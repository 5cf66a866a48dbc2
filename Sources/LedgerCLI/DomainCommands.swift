/// The back office's commands, one per thing it records (Specs/events.md).
enum DomainCommands {
    static let all: [Command] = []
}
