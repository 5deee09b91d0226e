/// Whole-number arithmetic in a job file's values, as fio evaluates it: a value in parentheses
/// (parse.c `str_to_decimal` → the expression parser: + - * / % ^, integer division) and, after
/// `$pagesize`, `$mb_memory` or `$ncpus` are put in, the `bc` fio pipes the value to
/// (options.c `bc_calc`: + - * /, integer division). Only numbers, operators and parentheses:
/// a unit inside is refused, since fio's two evaluators read units differently.
enum FioArithmetic {
    static func evaluate(_ text: String) throws(FioValue.Refusal) -> Int64 {
        var parser = Parser(Array(text.utf8))
        let value = try parser.sum()
        parser.skipSpaces()
        guard parser.atEnd else { throw FioValue.Refusal(reason: "is an expression uringbench cannot read (whole numbers with + - * / % ^ and parentheses only); write the number out") }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        var i = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
        var atEnd: Bool { i >= bytes.count }

        mutating func skipSpaces() { while i < bytes.count && bytes[i] == UInt8(ascii: " ") { i += 1 } }

        mutating func take(_ c: Character) -> Bool {
            skipSpaces()
            guard i < bytes.count, bytes[i] == c.asciiValue else { return false }
            i += 1
            return true
        }

        static func overflow() -> FioValue.Refusal { FioValue.Refusal(reason: "is an expression whose value does not fit 64 bits; give a smaller one") }

        mutating func sum() throws(FioValue.Refusal) -> Int64 {
            var v = try product()
            while true {
                if take("+") { let (r, o) = v.addingReportingOverflow(try product()); if o { throw Self.overflow() }; v = r }
                else if take("-") { let (r, o) = v.subtractingReportingOverflow(try product()); if o { throw Self.overflow() }; v = r }
                else { return v }
            }
        }

        mutating func product() throws(FioValue.Refusal) -> Int64 {
            var v = try power()
            while true {
                if take("*") { let (r, o) = v.multipliedReportingOverflow(by: try power()); if o { throw Self.overflow() }; v = r }
                else if take("/") || take("%") {
                    let isDivision = bytes[i - 1] == UInt8(ascii: "/")
                    let d = try power()
                    guard d != 0 else { throw FioValue.Refusal(reason: "divides by zero; give a nonzero divisor") }
                    let (r, o) = isDivision ? v.dividedReportingOverflow(by: d) : v.remainderReportingOverflow(dividingBy: d)
                    if o { throw Self.overflow() }
                    v = r
                } else { return v }
            }
        }

        mutating func power() throws(FioValue.Refusal) -> Int64 {
            let base = try unary()
            guard take("^") else { return base }
            let exponent = try power()          // right-associative
            guard exponent >= 0 else { throw FioValue.Refusal(reason: "raises to a negative power; give a whole result") }
            var r: Int64 = 1
            for _ in 0..<min(exponent, 64) {
                let (m, o) = r.multipliedReportingOverflow(by: base)
                if o { throw Self.overflow() }
                r = m
            }
            if exponent > 64 && (base > 1 || base < -1) { throw Self.overflow() }
            return r
        }

        mutating func unary() throws(FioValue.Refusal) -> Int64 {
            if take("-") { let v = try unary(); if v == .min { throw Self.overflow() }; return -v }
            if take("(") {
                let v = try sum()
                guard take(")") else { throw FioValue.Refusal(reason: "has a '(' without its ')'; close it") }
                return v
            }
            skipSpaces()
            let start = i
            while i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) { i += 1 }
            guard i > start, let n = Int64(String(decoding: bytes[start..<i], as: UTF8.self)) else {
                throw FioValue.Refusal(reason: "is an expression uringbench cannot read (whole numbers with + - * / % ^ and parentheses only, no units); write the number out")
            }
            return n
        }
    }
}
