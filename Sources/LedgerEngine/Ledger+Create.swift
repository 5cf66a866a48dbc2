import LedgerCore
import LedgerStorage

extension Ledger {
    /// Creates `directory` (new, or empty) with a log holding only the genesis record, whose
    /// actor `founder` becomes the founding administrator (Specs/events.md, section 3). A crash
    /// leaves either no ledger or a whole one.
    public static func create(directory: String, genesis: Genesis, founder: String, effective: CalendarDate? = nil,
                              options: Options = Options()) throws(LedgerError) -> (ledger: Ledger, genesis: Record) {
        guard FieldRules.isIdentifier(founder) else {
            throw .invalidInput("operator \"\(founder)\" is not an identifier (letters, digits, . _ : -, at most 64)")
        }
        let record: Record
        do {
            record = try LedgerCreation.create(paths: LedgerPaths(directory: directory), genesis: genesis, actor: founder,
                                               clock: options.clock, effective: effective)
        } catch {
            throw .storage(error)
        }
        return (try Ledger(directory: directory, options: options), record)
    }
}
