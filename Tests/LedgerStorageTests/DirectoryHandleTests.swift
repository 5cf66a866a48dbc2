import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import LedgerStorage

/// The API every writer goes through in a ledger directory: nothing is followed, nothing that is
/// already there is written through, temporary names cannot be guessed.
@Suite struct DirectoryHandleTests {
    static func scratch() throws -> DirectoryHandle {
        try DirectoryHandle(path: try Planted.outsideDirectory())
    }

    @Test func writingAtomicallyReplacesALinkAtTheNameInsteadOfWritingThroughIt() throws {
        let directory = try Self.scratch()
        let outside = try Planted.outsideFile()
        let before = try StorageFixture.bytes(outside)
        try Planted.link(directory.pathOf("data"), to: outside)
        try directory.writeAtomically([1, 2, 3], to: "data")
        #expect(try StorageFixture.bytes(outside) == before)
        #expect(Planted.kind(directory.pathOf("data")) == S_IFREG)
        #expect(try StorageFixture.bytes(directory.pathOf("data")) == Data([1, 2, 3]))
        #expect(try directory.names() == ["data"], "no temporary file is left behind")
    }

    @Test func aFailedAtomicWriteLeavesTheOldFileAndNoTemporary() throws {
        let directory = try Self.scratch()
        try directory.writeAtomically([7], to: "data")
        #expect(throws: StorageError.limit("stop")) {
            try directory.writeAtomically(to: "data") { file throws(StorageError) in
                try file.write([8, 8, 8], at: 0)
                throw .limit("stop")
            }
        }
        #expect(try StorageFixture.bytes(directory.pathOf("data")) == Data([7]))
        #expect(try directory.names() == ["data"])
    }

    @Test func temporaryNamesAreUnpredictableAndNeverReused() throws {
        let directory = try Self.scratch()
        let first = try directory.createTemporaryFile(for: "index")
        let second = try directory.createTemporaryFile(for: "index")
        #expect(first.name != second.name)
        for name in [first.name, second.name] {
            #expect(name.hasPrefix(".index.") && name.hasSuffix(".tmp"), "\(name)")
            let random = name.dropFirst(".index.".count).dropLast(".tmp".count)
            #expect(random.count == 16 && random.allSatisfy(\.isHexDigit), "\(name)")
        }
    }

    @Test func creatingAFileNeverOpensWhatIsAlreadyAtTheName() throws {
        let directory = try Self.scratch()
        // A dangling link: following it would create the file it names, outside.
        let target = try Planted.outsideDirectory() + "/created-through-the-link"
        try Planted.link(directory.pathOf("new"), to: target)
        #expect(throws: StorageError.system(operation: "create", path: directory.pathOf("new"), errno: EEXIST)) {
            _ = try directory.createFile("new")
        }
        #expect(Planted.kind(target) == nil)
    }

    @Test func aTakenNameGetsAFreshOneAndWhatHeldItIsLeftAlone() throws {
        let directory = try Self.scratch()
        let outside = try Planted.outsideFile()
        let before = try StorageFixture.bytes(outside)
        try Planted.link(directory.pathOf("tail-at-5-ab.bin"), to: outside)
        let created = try directory.createFileWithFreshName(stem: "tail-at-5-ab", suffix: ".bin")
        try created.file.write([1], at: 0)
        #expect(created.name.hasPrefix("tail-at-5-ab-") && created.name.hasSuffix(".bin"), "\(created.name)")
        #expect(created.name.count == "tail-at-5-ab-".count + 16 + ".bin".count)
        #expect(try StorageFixture.bytes(outside) == before)
        #expect(Planted.kind(directory.pathOf("tail-at-5-ab.bin")) == S_IFLNK)
        // A free name is used as it is.
        #expect(try directory.createFileWithFreshName(stem: "tail-at-9-cd", suffix: ".bin").name == "tail-at-9-cd.bin")
    }

    @Test func openingRefusesLinksAndHardLinkedFilesForWriting() throws {
        let directory = try Self.scratch()
        let outside = try Planted.outsideFile()
        try Planted.link(directory.pathOf("linked"), to: outside)
        Planted.expectRefusal(at: directory.pathOf("linked"), code: ELOOP) {
            _ = try directory.openFile("linked", flags: O_RDONLY)
        }
        try Planted.hardLink(directory.pathOf("hard"), to: outside)
        #expect(try directory.openFile("hard", flags: O_RDONLY) != nil, "reading a second name changes nothing")
        Planted.expectRefusal(at: directory.pathOf("hard"), code: EMLINK) { _ = try directory.openFile("hard", flags: O_RDWR) }
        #expect(try directory.openFile("missing", flags: O_RDONLY) == nil)
    }

    /// Opened read-only without O_NONBLOCK, a FIFO with no writer would wait forever.
    @Test(.timeLimit(.minutes(1))) func aFIFOIsRefusedWithoutWaiting() throws {
        let directory = try Self.scratch()
        try Planted.fifo(directory.pathOf("fifo"))
        for flags in [O_RDONLY, O_RDWR] {
            Planted.expectRefusal(at: directory.pathOf("fifo"), code: EINVAL) { _ = try directory.openFile("fifo", flags: flags) }
        }
    }

    @Test func subdirectoriesMustBeRealDirectories() throws {
        let directory = try Self.scratch()
        let outside = try Planted.outsideDirectory()
        try Planted.link(directory.pathOf("linked"), to: outside)
        Planted.expectRefusal(at: directory.pathOf("linked"), code: ELOOP) { _ = try directory.subdirectory("linked") }
        #expect(Planted.names(outside).isEmpty)
        _ = try directory.createFile("file")
        Planted.expectRefusal(at: directory.pathOf("file"), code: ENOTDIR) { _ = try directory.subdirectory("file") }
        #expect(try directory.existingSubdirectory("missing") == nil)
        let created = try directory.subdirectory("new")
        #expect(Planted.kind(created.path) == S_IFDIR)
        #expect(try directory.existingSubdirectory("new") != nil)
    }

    /// `Directory.create`, which the CLI still calls by path, applies the same rule.
    @Test func creatingADirectoryByPathRefusesALink() throws {
        let directory = try Self.scratch()
        try Planted.link(directory.pathOf("cache"), to: try Planted.outsideDirectory())
        Planted.expectRefusal(at: directory.pathOf("cache"), code: ELOOP) { try Directory.create(directory.pathOf("cache")) }
        try Directory.create(directory.pathOf("real"))
        try Directory.create(directory.pathOf("real"))
        #expect(Planted.kind(directory.pathOf("real")) == S_IFDIR)
    }

    @Test func aReplaceableFileThatCannotBeUsedIsReplacedNotFollowed() throws {
        let directory = try Self.scratch()
        let outside = try Planted.outsideFile()
        let before = try StorageFixture.bytes(outside)
        try Planted.link(directory.pathOf("cache"), to: outside)
        let opened = try directory.openReplaceableFile("cache")
        #expect(opened.replaced?.contains("symbolic link") == true)
        try opened.file.write([9], at: 0)
        #expect(try StorageFixture.bytes(outside) == before)
        #expect(Planted.kind(directory.pathOf("cache")) == S_IFREG)
        #expect(try directory.openReplaceableFile("cache").replaced == nil)
        #expect(try directory.names() == ["cache"])
    }

    @Test func namesListsTheSameEntriesEveryTime() throws {
        let directory = try Self.scratch()
        _ = try directory.createFile("a")
        _ = try directory.subdirectory("b")
        #expect(try directory.names().sorted() == ["a", "b"])
        #expect(try directory.names().sorted() == ["a", "b"])
    }
}
