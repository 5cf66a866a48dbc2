/// The parser's stack of finished items (array elements with an empty key, object members)
/// of all open containers, owned by hand so that handing a container's items to its new
/// array is a move: no retain/release, no destroy of moved-from slots.
///
/// Invariant: slots `0..<count` are initialized, `count...` are not. `deinit` destroys what
/// is left when a decode fails halfway.
struct ItemStack: ~Copyable {
    typealias Member = JSONObject.Member

    private var storage: UnsafeMutablePointer<Member>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        precondition(capacity > 0, "ItemStack: capacity must be positive")
        self.storage = .allocate(capacity: capacity)
        self.capacity = capacity
    }

    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }

    var isEmpty: Bool { count == 0 }

    subscript(index: Int) -> Member {
        get {
            precondition(index >= 0 && index < count, "ItemStack: index out of range")
            return storage[index]
        }
        set {
            precondition(index >= 0 && index < count, "ItemStack: index out of range")
            storage[index] = newValue
        }
    }

    mutating func setValue(_ value: consuming JSONValue, at index: Int) {
        precondition(index >= 0 && index < count, "ItemStack: index out of range")
        storage[index].value = value
    }

    mutating func append(_ member: consuming Member) {
        if count == capacity { grow() }
        (storage + count).initialize(to: member)
        count += 1
    }

    /// Inserts at `index`, shifting the items above it up by one.
    mutating func insert(_ member: consuming Member, at index: Int) {
        precondition(index >= 0 && index <= count, "ItemStack: index out of range")
        if count == capacity { grow() }
        (storage + index + 1).moveInitialize(from: storage + index, count: count - index)
        (storage + index).initialize(to: member)
        count += 1
    }

    /// Moves the items `base..<count` out, in order, to `take`; they are gone afterwards.
    mutating func moveOut(from base: Int, _ take: (Int, consuming Member) -> Void) {
        precondition(base >= 0 && base <= count, "ItemStack: base out of range")
        for index in base..<count {
            take(index - base, (storage + index).move())
        }
        count = base
    }

    private mutating func grow() {
        let larger = capacity * 2
        let moved = UnsafeMutablePointer<Member>.allocate(capacity: larger)
        moved.moveInitialize(from: storage, count: count)
        storage.deallocate()
        storage = moved
        capacity = larger
    }
}
