import LedgerCore
import LedgerStorage

extension Ledger {
    /// Creates `directory` (new, or empty) with a log holding only the genesis record, whose
    /// actor `founder` becomes the founding administrator (Specs/events.md, section 3), with the
    /// key of `options.signer`, which signs it. A simulation (`simulatedClock`) takes its times
    /// from `options.clock`, and says so forever; a real ledger from the system's clock. A crash
    /// leaves either no ledger or a whole one.
    public static func create(directory: String, genesis: Genesis, founder: String, effective: CalendarDate? = nil,
                              simulatedClock: Bool = false, options: Options = Options()) throws(LedgerError) -> (ledger: Ledger, genesis: Record) {
        guard FieldRules.isIdentifier(founder) else {
            throw .invalidInput("operator \"\(founder)\" is not an identifier (letters, digits, . _ : -, at most 64)")
        }
        guard let signer = options.signer else {
            throw .invalidInput("a ledger is created with its founding administrator's key: give the signer key (ledger keygen makes one)")
        }
        if !simulatedClock { try checkClock(options) }
        let keyed = genesis.keyed(signer.publicKey.bytes, simulated: simulatedClock)
        let record: Record
        do {
            record = try LedgerCreation.create(paths: LedgerPaths(directory: directory), genesis: keyed, actor: founder,
                                               clock: options.clock, effective: effective, signer: signer)
        } catch {
            throw .storage(error)
        }
        return (try Ledger(directory: directory, options: options), record)
    }
}

extension Ledger {
    /// A real ledger's recorded times are the system's: a clock given to the engine that is more
    /// than a few minutes off is refused (it would backdate records, or freeze the log until the
    /// system clock catches up with a record dated in the future).
    static func checkClock(_ options: Options) throws(LedgerError) {
        let given = options.clock.now(), real = options.wallClock.now()
        let drift = given.microsecondsSinceEpoch - real.microsecondsSinceEpoch
        guard drift.magnitude <= UInt64(clockToleranceMicroseconds) else {
            throw .invalidInput("the clock reads \(given) but the system clock reads \(real): a ledger that is not a simulation "
                + "records the system's time (only a ledger created with a simulated clock takes another)")
        }
    }
}
