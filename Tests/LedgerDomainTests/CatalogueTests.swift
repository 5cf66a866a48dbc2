import Foundation
import LedgerCore
import LedgerJSON
import Testing
@testable import LedgerDomain

/// Specs/events.md and the code agree: every event type and rule is documented, every rule the
/// document names exists, the roles match, and the document's examples form a history the fold accepts.
@Suite struct CatalogueTests {
    static let specification: String = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Specs/events.md")
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }()

    /// The lines of every fenced block of the given language.
    static func blocks(_ language: String) -> [String] {
        var lines: [String] = []
        var inside = false
        for line in specification.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "```\(language)" { inside = true } else if line == "```" { inside = false } else if inside { lines.append(String(line)) }
        }
        return lines
    }

    /// A record's type names its event type exactly: every name of the catalogue reads as its
    /// type, and a name one byte away, cut short, lengthened, or of another case does not.
    @Test func aTypeIsReadFromItsExactName() {
        for type in EventType.allCases {
            let name = type.rawValue
            #expect(EventType(type: name) == type)
            #expect(EventType(type: String(name.dropLast())) == nil, "\(name) cut short")
            #expect(EventType(type: name + "s") == nil, "\(name) lengthened")
            #expect(EventType(type: name.uppercased()) == nil, "\(name) in capitals")
            for place in [0, name.utf8.count / 2, name.utf8.count - 1] {
                var bytes = Array(name.utf8)
                bytes[place] = bytes[place] == UInt8(ascii: "x") ? UInt8(ascii: "y") : UInt8(ascii: "x")
                #expect(EventType(type: String(decoding: bytes, as: UTF8.self)) == nil, "\(name) with byte \(place) changed")
            }
        }
        #expect(EventType(type: "") == nil)
        #expect(EventType(type: String(repeating: "a", count: 200)) == nil)
    }

    static func event(_ line: String) throws -> Ev {
        guard case .object(let object) = try CanonicalJSON.decode(Array(line.utf8), mode: .lenient),
              case .string(let type)? = object["type"], case .string(let actor)? = object["actor"],
              case .object(let payload)? = object["payload"] else {
            throw CatalogueError.badExample(line)
        }
        var event = Ev(type, [], actor: actor)
        event.payload = payload
        return event
    }

    enum CatalogueError: Error { case badExample(String) }

    @Test func theAppendixIsAValidHistory() throws {
        let story = Self.blocks("jsonl")
        #expect(story.count > 60)
        let genesis = try #require(Self.blocks("json").first)
        var fold = Fold()
        for line in [genesis] + story {
            let event = try Self.event(line)
            let effective = try #require(line.range(of: #""effective":""#).map { String(line[$0.upperBound...].prefix(10)) })
            fold.accept(event, on: effective)
        }
        #expect(fold.seq == UInt64(story.count + 1))
        #expect(fold.state.counts.commitments == 1 && fold.state.counts.decisions == 5)
    }

    @Test func everyExampleIsALineOfTheAppendix() {
        let story = Set(Self.blocks("jsonl"))
        let examples = Self.blocks("json")
        #expect(examples.count >= 30)
        for example in examples.dropFirst() { #expect(story.contains(example), "\(example)") }
    }

    @Test(arguments: EventType.allCases)
    func everyEventTypeIsDocumented(_ type: EventType) throws {
        let heading = try #require(Self.specification.split(separator: "\n").first { $0.hasPrefix("### ") && $0.contains("`\(type.rawValue)`") })
        #expect(Self.blocks("json").contains { $0.hasSuffix(#""type":"\#(type.rawValue)"}"#) }, "no example of \(type.rawValue)")
        // A section for one type states its roles as the code enforces them.
        guard !heading.contains(","), type != .genesis else { return }
        let section = Self.specification.components(separatedBy: String(heading))[1].components(separatedBy: "\n### ")[0]
        let roles = section.components(separatedBy: "**Roles:** ").dropFirst().first?.prefix { $0 != "." }
        #expect(roles.map(String.init) == type.roles.names.joined(separator: ", "), "\(type.rawValue)")
    }

    @Test func everyRuleIsDocumentedAndEveryDocumentedRuleExists() throws {
        let known = Set(Rules.all.map(\.id))
        #expect(known.count == Rules.all.count)
        for rule in Rules.all {
            #expect(Self.specification.contains("| `\(rule.id)` | "), "\(rule.id) is missing from the rules table")
        }
        let pattern = try Regex(#"`((?:E0|S|A[0-9]|M[0-9]|I[0-9]+)\.[a-z-]+)`"#)
        for match in Self.specification.matches(of: pattern) {
            let id = String(Self.specification[match.range].dropFirst().dropLast())
            #expect(known.contains(id), "Specs/events.md names an unknown rule \(id)")
        }
    }
}
