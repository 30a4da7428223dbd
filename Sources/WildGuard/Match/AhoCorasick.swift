/// An Aho-Corasick automaton over bytes: finds every occurrence of every literal in one pass, at
/// a cost that does not grow with the number of literals. WildGuard's prefilter: it finds term
/// hits directly and tells which regular expressions are worth running.
///
/// States are numbered breadth first. The shallowest states (where the scan spends most of its
/// time, and where failure links lead) get a full transition table, so a step from them is one
/// lookup; deeper states keep sparse edges and fall back along failure links to a dense state.
struct AhoCorasick: Sendable {
    /// Full transition rows for states `0..<denseCount`: `dense[state << 8 | byte]`.
    private let dense: [Int32]
    private let denseCount: Int
    /// Sparse transitions of every state: `edgeStart[s]..<edgeStart[s + 1]`.
    private let edgeStart: [Int32]
    private let edgeBytes: [UInt8]
    private let edgeTargets: [Int32]
    private let fail: [Int32]
    /// Literal ids that end in each state, including those inherited through failure links.
    private let outputStart: [Int32]
    private let outputs: [Int32]
    /// Byte length of each literal.
    let lengths: [Int32]

    var stateCount: Int { fail.count }

    /// At most this many states get full rows (16 MiB of table).
    static let maxDenseStates = 16_384

    init(literals: [[UInt8]]) {
        // 1. Trie, in insertion order.
        var children: [[UInt8: Int32]] = [[:]]
        var own: [[Int32]] = [[]]
        for (id, literal) in literals.enumerated() where !literal.isEmpty {
            var state = 0
            for byte in literal {
                if let next = children[state][byte] {
                    state = Int(next)
                } else {
                    children.append([:])
                    own.append([])
                    let next = Int32(children.count - 1)
                    children[state][byte] = next
                    state = Int(next)
                }
            }
            own[state].append(Int32(id))
        }
        let count = children.count

        // 2. Renumber breadth first, so that shallow states come first.
        var order: [Int] = [0]
        order.reserveCapacity(count)
        var head = 0
        while head < order.count {
            let state = order[head]
            head += 1
            for (_, child) in children[state].sorted(by: { $0.key < $1.key }) { order.append(Int(child)) }
        }
        var renumber = [Int32](repeating: 0, count: count)
        for (newIndex, old) in order.enumerated() { renumber[old] = Int32(newIndex) }
        var edges = [[(UInt8, Int32)]](repeating: [], count: count)
        var outs = [[Int32]](repeating: [], count: count)
        for old in 0..<count {
            let n = Int(renumber[old])
            edges[n] = children[old].map { ($0.key, renumber[Int($0.value)]) }.sorted { $0.0 < $1.0 }
            outs[n] = own[old]
        }

        // 3. Failure links and merged outputs, breadth first (= index order now).
        var fail = [Int32](repeating: 0, count: count)
        func child(_ state: Int, _ byte: UInt8) -> Int? {
            for (b, t) in edges[state] where b == byte { return Int(t) }
            return nil
        }
        for state in 0..<count {
            for (byte, target) in edges[state] {
                let t = Int(target)
                if state == 0 {
                    fail[t] = 0
                } else {
                    var f = Int(fail[state])
                    while f != 0 && child(f, byte) == nil { f = Int(fail[f]) }
                    let g = child(f, byte) ?? 0
                    fail[t] = Int32(g == t ? 0 : g)
                }
                outs[t].append(contentsOf: outs[Int(fail[t])])
            }
        }

        // 4. Dense rows for the shallowest states: goto where there is an edge, else the row of
        // the failure state (already complete: it is shallower, so it comes earlier).
        let denseCount = min(count, Self.maxDenseStates)
        var dense = [Int32](repeating: 0, count: denseCount << 8)
        for state in 0..<denseCount {
            let base = state << 8
            if state != 0 {
                let f = Int(fail[state])
                if f < denseCount {
                    for b in 0..<256 { dense[base | b] = dense[f << 8 | b] }
                }
            }
            for (byte, target) in edges[state] { dense[base | Int(byte)] = target }
        }

        // 5. Flatten.
        var edgeStart: [Int32] = []
        var edgeBytes: [UInt8] = []
        var edgeTargets: [Int32] = []
        var outputStart: [Int32] = []
        var outputs: [Int32] = []
        edgeStart.reserveCapacity(count + 1)
        outputStart.reserveCapacity(count + 1)
        for state in 0..<count {
            edgeStart.append(Int32(edgeBytes.count))
            for (byte, target) in edges[state] {
                edgeBytes.append(byte)
                edgeTargets.append(target)
            }
            outputStart.append(Int32(outputs.count))
            outputs.append(contentsOf: outs[state])
        }
        edgeStart.append(Int32(edgeBytes.count))
        outputStart.append(Int32(outputs.count))
        self.dense = dense
        self.denseCount = denseCount
        self.edgeStart = edgeStart
        self.edgeBytes = edgeBytes
        self.edgeTargets = edgeTargets
        self.fail = fail
        self.outputStart = outputStart
        self.outputs = outputs
        self.lengths = literals.map { Int32($0.count) }
    }

    /// Calls `body(literal, end)` for every occurrence, where `end` is the offset just past it.
    @inline(__always)
    func scan(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (Int, Int) -> Void) {
        // Raw buffers for the whole scan: no bounds checks, retains or exclusivity checks per byte.
        dense.withUnsafeBufferPointer { dense in
        edgeStart.withUnsafeBufferPointer { edgeStart in
        edgeBytes.withUnsafeBufferPointer { edgeBytes in
        edgeTargets.withUnsafeBufferPointer { edgeTargets in
        fail.withUnsafeBufferPointer { fail in
        outputStart.withUnsafeBufferPointer { outputStart in
        outputs.withUnsafeBufferPointer { outputs in
            let denseCount = self.denseCount
            var state = 0
            for i in 0..<bytes.count {
                let byte = bytes[i]
                // A deep state: its own edge, else fall back until a dense row answers.
                var consumed = false
                while state >= denseCount {
                    var k = Int(edgeStart[state])
                    let upper = Int(edgeStart[state + 1])
                    var found = -1
                    while k < upper {
                        let b = edgeBytes[k]
                        if b == byte { found = Int(edgeTargets[k]); break }
                        if b > byte { break }
                        k += 1
                    }
                    if found >= 0 {
                        state = found
                        consumed = true
                        break
                    }
                    state = Int(fail[state])
                }
                if !consumed { state = Int(dense[state << 8 | Int(byte)]) }
                if state == 0 { continue }
                var k = Int(outputStart[state])
                let upper = Int(outputStart[state + 1])
                while k < upper {
                    body(Int(outputs[k]), i + 1)
                    k += 1
                }
            }
        }}}}}}}
    }
}
