/// An Aho-Corasick automaton over bytes: finds every occurrence of every literal in one pass, at
/// a cost that does not grow with the number of literals. WildGuard's prefilter: it finds term
/// hits directly and tells which regular expressions are worth running.
///
/// The states where a scan spends most of its time (those a sample of text visits most, and the
/// shallowest) get a full transition table, so a step from them is one lookup. Any other state
/// keeps sparse edges: its own, merged with those of the sparse states on its failure chain, and
/// a link to the first dense state on that chain; a step from it is one search of its edges and,
/// on a miss, one lookup in that dense row (not a walk along the chain).
///
/// A transition holds the target's code, not its number: a dense state's code is where its row
/// starts (`number * classCount`), a sparse state's is `denseLimit` plus its place among the
/// sparse states. A step from a dense state is then one add and one load: the scan is bound by
/// the latency of those loads, one after the other, and a multiply in between added to it.
struct AhoCorasick: Sendable {
    /// Full transition rows for states `0..<denseCount`, one column per byte class:
    /// `dense[code + byteClass[byte]]`. Bytes that occur in no literal share one class, so rows
    /// are shorter than 256 and more of them stay in cache.
    private let dense: [Int32]
    private let denseCount: Int
    private let classCount: Int
    /// The first code of a sparse state (`denseCount * classCount`).
    private let denseLimit: Int
    /// `code * rowMagic >> 34` is `code / classCount` for a dense state's code (below 2^26): a
    /// state's number from its code without a division, when a scan stops at an output.
    private let rowMagic: UInt64
    private let byteClass: [UInt8]
    /// Per sparse state (`code - denseLimit`): where its edges start in `edges` (low 32 bits;
    /// they end where the next state's start) and the code of the first dense state on its
    /// failure chain (high 32 bits). One load answers both.
    private let sparse: [UInt64]
    /// Sparse edges of the deep states, sorted by byte within a state: the byte (low 8 bits) and
    /// the target's code with its output flag (high 32 bits). A deep state's list holds every edge
    /// its failure chain would find before it reaches a dense state, so a byte missing from the
    /// list goes straight to that dense state's row. One array, so a lookup touches one cache line.
    private let edges: [UInt64]
    /// Literal ids that end in each state, including those inherited through failure links.
    private let outputStart: [Int32]
    private let outputs: [Int32]
    /// Byte length of each literal.
    let lengths: [Int32]
    /// Per literal: which of its occurrences are not reported (`Fence`), an empty array when all
    /// are. Checked before the caller's closure is called: most occurrences of a short word are
    /// inside longer words, and a call per occurrence cost more than the check.
    private let fences: [Fence]
    /// Per byte: whether a fence stands against it (a table: one load per check).
    private let fenceBytes: [Bool]

    /// Which neighbours of an occurrence make it not worth reporting.
    struct Fence: OptionSet, Sendable {
        let rawValue: UInt8
        /// Not reported when the byte before it is one of the fence bytes.
        static let before = Fence(rawValue: 1)
        /// Not reported when the byte after it is one of the fence bytes.
        static let after = Fence(rawValue: 2)
    }

    let stateCount: Int

    /// At most this many states get full rows.
    static let maxDenseStates = 16_384

    /// Set in a transition (dense or sparse) whose target state has outputs: most steps land on
    /// a state without any, and this spares them a lookup in `outputStart`.
    private static let hasOutput: Int32 = Int32.min
    private static let stateMask: Int32 = Int32.max

    /// - Parameters:
    ///   - fences: Per literal (or none): occurrences next to which of `fenceBytes` are skipped.
    ///     Ignored unless there is one per literal.
    ///   - maxDenseStates: How many states get full rows (tests use few, to exercise the sparse
    ///     path).
    ///   - sample: Text like what will be scanned (in the form it will be scanned in). The
    ///     states a scan of it visits most get the full rows, with the states their failure links
    ///     lead to; the rest of the rows go to the shallowest states. Without a sample, the
    ///     shallowest states get them all. Occurrences found are the same either way.
    init(
        literals: [[UInt8]], fences: [Fence] = [], fenceBytes: ByteSet = ByteSet(),
        maxDenseStates: Int = AhoCorasick.maxDenseStates, sample: [[UInt8]] = []
    ) {
        // Built in flat arrays (no collection per state): a taxonomy makes a quarter of a million
        // states, and this runs at every engine load.

        // 1. Trie, each state's children in a list sorted by byte, literal ids per state too.
        var firstChild: [Int32] = [-1]
        var nextSibling: [Int32] = [-1]
        var label: [UInt8] = [0]
        var firstOwn: [Int32] = [-1]
        var nextOwn = [Int32](repeating: -1, count: literals.count)
        for (id, literal) in literals.enumerated() where !literal.isEmpty {
            var state = 0
            for byte in literal {
                var previous: Int32 = -1
                var child = firstChild[state]
                while child >= 0 && label[Int(child)] < byte {
                    previous = child
                    child = nextSibling[Int(child)]
                }
                if child >= 0 && label[Int(child)] == byte {
                    state = Int(child)
                    continue
                }
                let created = Int32(label.count)
                label.append(byte)
                firstChild.append(-1)
                firstOwn.append(-1)
                nextSibling.append(child)
                if previous >= 0 { nextSibling[Int(previous)] = created } else { firstChild[state] = created }
                state = Int(created)
            }
            // Kept in insertion order: appended at the end of the state's list.
            if firstOwn[state] < 0 {
                firstOwn[state] = Int32(id)
            } else {
                var last = Int(firstOwn[state])
                while nextOwn[last] >= 0 { last = Int(nextOwn[last]) }
                nextOwn[last] = Int32(id)
            }
        }
        let count = label.count

        // 2. Breadth first: state numbers (children in byte order get consecutive numbers), each
        // state's own edges, failure links and merged outputs, in one pass. A state's failure
        // state is shallower, so it has been finished by the time the state is reached.
        var byteClass = [UInt8](repeating: 0, count: 256)
        var classCount = 1
        for byte in label.dropFirst() where byteClass[Int(byte)] == 0 {
            byteClass[Int(byte)] = UInt8(classCount)
            classCount += 1
        }
        var order: [Int32] = [0]
        order.reserveCapacity(count)
        var edgeStart: [Int32] = []
        var edgeBytes: [UInt8] = []
        var edgeTargets: [Int32] = []
        var fail = [Int32](repeating: 0, count: count)
        var outputStart: [Int32] = []
        var outputs: [Int32] = []
        edgeStart.reserveCapacity(count + 1)
        edgeBytes.reserveCapacity(count)
        edgeTargets.reserveCapacity(count)
        outputStart.reserveCapacity(count + 1)
        // The root's transitions as a row: every failure chain ends there.
        var rootRow = [Int32](repeating: 0, count: 256)

        // The state reached from `state` (already numbered and finished) on `byte`, along the
        // failure chain.
        func step(_ state: Int, _ byte: UInt8) -> Int {
            var state = state
            while state != 0 {
                for k in Int(edgeStart[state])..<(state + 1 < edgeStart.count ? Int(edgeStart[state + 1]) : edgeBytes.count)
                where edgeBytes[k] == byte {
                    return Int(edgeTargets[k])
                }
                state = Int(fail[state])
            }
            return Int(rootRow[Int(byte)])
        }

        var head = 0
        while head < order.count {
            let n = head
            let old = Int(order[head])
            head += 1
            // Outputs: its own literals, then those of its failure state.
            outputStart.append(Int32(outputs.count))
            var own = firstOwn[old]
            while own >= 0 {
                outputs.append(own)
                own = nextOwn[Int(own)]
            }
            if n != 0 {
                let f = Int(fail[n])
                let lower = Int(outputStart[f])
                let upper = f + 1 < outputStart.count ? Int(outputStart[f + 1]) : outputs.count
                // One by one: appending a slice of the array to itself would copy the whole array.
                for k in lower..<upper { outputs.append(outputs[k]) }
            }
            // Edges: children numbered in byte order, after every state already queued.
            edgeStart.append(Int32(edgeBytes.count))
            var child = firstChild[old]
            while child >= 0 {
                edgeBytes.append(label[Int(child)])
                edgeTargets.append(Int32(order.count))
                if n == 0 { rootRow[Int(label[Int(child)])] = Int32(order.count) }
                order.append(child)
                child = nextSibling[Int(child)]
            }
            // Failure links of the children: where the failure state goes on the same byte.
            for k in Int(edgeStart[n])..<edgeBytes.count {
                let target = Int(edgeTargets[k])
                fail[target] = n == 0 ? 0 : Int32(step(Int(fail[n]), edgeBytes[k]))
            }
        }
        edgeStart.append(Int32(edgeBytes.count))
        outputStart.append(Int32(outputs.count))

        // 3. Which states get full rows: a set that holds the failure state of each of its
        // states (so that a row is its failure state's row with its own edges over it, and the
        // failure chain of any other state reaches one of them). The states a scan of the sample
        // visits most, then the shallowest.
        // Dense codes stay below 2^26 (`rowMagic`).
        let denseCount = max(1, min(count, maxDenseStates, (1 << 26) / classCount))
        var isDense = [Bool](repeating: false, count: count)
        var chosen = 0
        func choose(_ state: Int) {
            // The state and the states of its failure chain not yet chosen, if they all fit.
            var missing = 0
            var link = state
            while !isDense[link] {
                missing += 1
                if link == 0 { break }
                link = Int(fail[link])
            }
            guard missing > 0, chosen + missing <= denseCount else { return }
            link = state
            while !isDense[link] {
                isDense[link] = true
                chosen += 1
                if link == 0 { break }
                link = Int(fail[link])
            }
        }
        choose(0)
        var visits = [Int32](repeating: 0, count: sample.isEmpty ? 0 : count)
        for text in sample {
            var state = 0
            for byte in text {
                state = step(state, byte)
                visits[state] &+= 1
            }
        }
        if !sample.isEmpty && denseCount < count {
            let visited = (0..<count).filter { visits[$0] > 0 }.sorted { visits[$0] > visits[$1] || (visits[$0] == visits[$1] && $0 < $1) }
            for state in visited where chosen < denseCount { choose(state) }
        }
        for state in 0..<count where chosen < denseCount { choose(state) }

        // 4. The final numbers: states with rows first, those the sample visits most first (so
        // that the rows a scan reads most lie together), then the others in breadth-first order;
        // and the tables under those numbers.
        var denseStates = (0..<count).filter { isDense[$0] }
        if !sample.isEmpty {
            // The root first: a scan starts there, at code 0.
            denseStates.sort { a, b in
                a == 0 || (b != 0 && (visits[a] > visits[b] || (visits[a] == visits[b] && a < b)))
            }
        }
        var number = [Int32](repeating: 0, count: count)
        var byNumber: [Int32] = []
        byNumber.reserveCapacity(count)
        for state in denseStates { number[state] = Int32(byNumber.count); byNumber.append(Int32(state)) }
        for state in 0..<count where !isDense[state] { number[state] = Int32(byNumber.count); byNumber.append(Int32(state)) }
        let denseLimit = chosen * classCount
        func code(_ n: Int32) -> Int32 {
            Int(n) < chosen ? n * Int32(classCount) : Int32(denseLimit) + n - Int32(chosen)
        }
        // A transition to `target` (a breadth-first number): its code, flagged when the state
        // has outputs.
        func transition(_ target: Int32) -> Int32 {
            let t = Int(target)
            return outputStart[t] < outputStart[t + 1] ? code(number[t]) | Self.hasOutput : code(number[t])
        }
        var dense = [Int32](repeating: 0, count: chosen * classCount)
        // Rows in breadth-first order, wherever they are placed: a state's failure state's row
        // is then made before its own.
        for state in 0..<count where isDense[state] {
            let base = Int(number[state]) * classCount
            if state == 0 {
                for byte in 0..<256 where byteClass[byte] != 0 { dense[base + Int(byteClass[byte])] = transition(rootRow[byte]) }
                // Bytes in no literal (class 0) lead back to the root, which has no outputs.
                continue
            }
            // The failure state's row, overridden by this state's own edges.
            let f = Int(number[Int(fail[state])])
            for c in 0..<classCount { dense[base + c] = dense[f * classCount + c] }
            for k in Int(edgeStart[state])..<Int(edgeStart[state + 1]) {
                dense[base + Int(byteClass[Int(edgeBytes[k])])] = transition(edgeTargets[k])
            }
        }
        // Other states: their edges merged with those of the states without rows on their
        // failure chain (the nearest state's edge wins, as a walk along the chain would find it),
        // and the first state with a row on the chain.
        var sparse: [UInt64] = []
        sparse.reserveCapacity(count - chosen + 1)
        var edges: [UInt64] = []
        edges.reserveCapacity(edgeBytes.count + edgeBytes.count / 2)
        var seenBy = [Int32](repeating: -1, count: 256)
        var merged: [UInt64] = []
        for n in chosen..<count {
            let state = Int(byNumber[n])
            merged.removeAll(keepingCapacity: true)
            var link = state
            while !isDense[link] {
                for k in Int(edgeStart[link])..<Int(edgeStart[link + 1]) {
                    let byte = edgeBytes[k]
                    guard seenBy[Int(byte)] != Int32(n) else { continue }
                    seenBy[Int(byte)] = Int32(n)
                    merged.append(UInt64(byte) | UInt64(UInt32(bitPattern: transition(edgeTargets[k]))) << 32)
                }
                link = Int(fail[link])
            }
            // Sorted by byte (the low bits; each byte once), so that a search can stop early.
            merged.sort { UInt8(truncatingIfNeeded: $0) < UInt8(truncatingIfNeeded: $1) }
            sparse.append(UInt64(UInt32(edges.count)) | UInt64(UInt32(code(number[link]))) << 32)
            edges.append(contentsOf: merged)
        }
        sparse.append(UInt64(UInt32(edges.count)))
        // Never read (the last state's edges end before it): it keeps the array from being
        // empty, so that a scan always has a base address for it.
        edges.append(0)
        // Outputs under the final numbers.
        var finalStart: [Int32] = []
        var finalOutputs: [Int32] = []
        finalStart.reserveCapacity(count + 1)
        finalOutputs.reserveCapacity(outputs.count)
        for n in 0..<count {
            let state = Int(byNumber[n])
            finalStart.append(Int32(finalOutputs.count))
            finalOutputs += outputs[Int(outputStart[state])..<Int(outputStart[state + 1])]
        }
        finalStart.append(Int32(finalOutputs.count))
        self.dense = dense
        self.denseCount = chosen
        self.denseLimit = denseLimit
        self.rowMagic = ((1 << 34) + UInt64(classCount) - 1) / UInt64(classCount)
        self.stateCount = count
        self.classCount = classCount
        self.byteClass = byteClass
        self.sparse = sparse
        self.edges = edges
        self.outputStart = finalStart
        self.outputs = finalOutputs
        self.lengths = literals.map { Int32($0.count) }
        // One fence per literal, or none at all.
        self.fences = fences.count == literals.count ? fences : []
        self.fenceBytes = (0...255).map { fenceBytes.contains(UInt8($0)) }
    }

    /// Calls `body(literal, end)` for every occurrence, where `end` is the offset just past it,
    /// but for those its literal's fence keeps out.
    @inline(__always)
    func scan(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (Int, Int) -> Void) {
        guard let text = bytes.baseAddress else { return }
        // Raw buffers for the whole scan: no bounds checks, retains or exclusivity checks per byte.
        dense.withUnsafeBufferPointer { dense in
        byteClass.withUnsafeBufferPointer { byteClass in
        sparse.withUnsafeBufferPointer { sparse in
        edges.withUnsafeBufferPointer { edges in
        outputStart.withUnsafeBufferPointer { outputStart in
        outputs.withUnsafeBufferPointer { outputs in
        fences.withUnsafeBufferPointer { fences in
        fenceBytes.withUnsafeBufferPointer { fenceBytes in
        lengths.withUnsafeBufferPointer { lengths in
            guard let dense = dense.baseAddress, let byteClass = byteClass.baseAddress,
                let sparse = sparse.baseAddress, let edges = edges.baseAddress
            else { return }
            let tables = Tables(dense: dense, byteClass: byteClass, sparse: sparse, edges: edges, denseLimit: denseLimit)
            var position = 0
            var code = 0
            // Most bytes lead to a state without outputs: `advance` steps over them in a loop
            // of its own, and the caller's work on each occurrence (whose state would otherwise
            // crowd the registers and be reloaded on every byte) runs only when it stops.
            while position < bytes.count {
                let stop = Self.advance(text, from: position, to: bytes.count, code: code, tables)
                position = stop.position
                code = stop.code
                guard stop.hasOutput else { break }
                let state = number(ofCode: code)
                var k = Int(outputStart[state])
                let upper = Int(outputStart[state + 1])
                while k < upper {
                    let literal = Int(outputs[k])
                    k += 1
                    if !fences.isEmpty {
                        let fence = fences[literal]
                        if fence.contains(.before) {
                            let start = position - Int(lengths[literal])
                            if start > 0 && fenceBytes[Int(text[start - 1])] { continue }
                        }
                        if fence.contains(.after) && position < bytes.count && fenceBytes[Int(text[position])] {
                            continue
                        }
                    }
                    body(literal, position)
                }
            }
        }}}}}}}}}
    }

    /// How many bytes of `text` a scan reads in a state without a full row, and whether the
    /// state reached after each byte has the number its code says (for tests).
    func sparseSteps(_ text: [UInt8]) -> (steps: Int, numbersAgree: Bool) {
        var code = 0
        var steps = 0
        var agree = true
        for byte in text {
            if code >= denseLimit { steps += 1 }
            let next = dense.withUnsafeBufferPointer { dense in
                byteClass.withUnsafeBufferPointer { byteClass in
                    sparse.withUnsafeBufferPointer { sparse in
                        edges.withUnsafeBufferPointer { edges in
                            guard let d = dense.baseAddress, let b = byteClass.baseAddress, let s = sparse.baseAddress,
                                let e = edges.baseAddress
                            else { return Int32(0) }
                            let tables = Tables(dense: d, byteClass: b, sparse: s, edges: e, denseLimit: denseLimit)
                            return code < denseLimit ? d[code + Int(b[Int(byte)])] : Self.deepStep(code, byte, tables)
                        }
                    }
                }
            }
            code = Int(next & Self.stateMask)
            let state = number(ofCode: code)
            let expected = code < denseLimit ? code / classCount : code - denseLimit + denseCount
            if state != expected || state >= stateCount { agree = false }
        }
        return (steps, agree)
    }

    /// The number of the state with code `code`.
    @inline(__always)
    private func number(ofCode code: Int) -> Int {
        code < denseLimit ? Int(truncatingIfNeeded: (UInt64(code) &* rowMagic) >> 34) : code &- denseLimit &+ denseCount
    }

    /// The automaton's transition tables, as raw pointers for one scan.
    private struct Tables {
        var dense: UnsafePointer<Int32>
        var byteClass: UnsafePointer<UInt8>
        var sparse: UnsafePointer<UInt64>
        var edges: UnsafePointer<UInt64>
        var denseLimit: Int
    }

    /// Steps from the state with code `code` over `text[start..<end]` until a byte leads to a
    /// state with outputs (`position` is then just past that byte) or the text ends.
    @inline(never)
    private static func advance(
        _ text: UnsafePointer<UInt8>, from start: Int, to end: Int, code: Int, _ tables: Tables
    ) -> (position: Int, code: Int, hasOutput: Bool) {
        let dense = tables.dense
        let byteClass = tables.byteClass
        let denseLimit = tables.denseLimit
        var code = code
        var i = start
        while i < end {
            let byte = text[i]
            i &+= 1
            let next = code < denseLimit ? dense[code &+ Int(byteClass[Int(byte)])] : deepStep(code, byte, tables)
            // Only a state with outputs carries the flag: the mask is needed on the way out.
            if next < 0 { return (i, Int(next & stateMask), true) }
            code = Int(next)
        }
        return (i, code, false)
    }

    /// The transition from a deep state: one of its merged sparse edges, else the row of the
    /// first dense state on its failure chain.
    @inline(__always)
    private static func deepStep(_ code: Int, _ byte: UInt8, _ tables: Tables) -> Int32 {
        let sparseIndex = code &- tables.denseLimit
        let info = tables.sparse[sparseIndex]
        var k = Int(UInt32(truncatingIfNeeded: info))
        let upper = Int(UInt32(truncatingIfNeeded: tables.sparse[sparseIndex &+ 1]))
        while k < upper {
            let edge = tables.edges[k]
            let b = UInt8(truncatingIfNeeded: edge)
            if b == byte { return Int32(truncatingIfNeeded: edge >> 32) }
            if b > byte { break }
            k &+= 1
        }
        let fallback = Int(info >> 32)
        return tables.dense[fallback &+ Int(tables.byteClass[Int(byte)])]
    }
}
