/// An Aho-Corasick automaton over bytes: finds every occurrence of every literal in one pass, at
/// a cost that does not grow with the number of literals. WildGuard's prefilter: it finds term
/// hits directly and tells which regular expressions are worth running.
struct AhoCorasick: Sendable {
    /// Transitions out of the root, one per byte (the root is visited most, so it is dense).
    private let rootNext: [Int32]
    /// Sparse transitions of the other states: `edgeStart[s]..<edgeStart[s + 1]`.
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

    init(literals: [[UInt8]]) {
        // 1. Trie.
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
        // 2. Failure links, breadth first; outputs merged along them.
        let count = children.count
        var fail = [Int32](repeating: 0, count: count)
        var merged = own
        var queue: [Int32] = []
        queue.reserveCapacity(count)
        for (_, child) in children[0].sorted(by: { $0.key < $1.key }) { queue.append(child) }
        var head = 0
        while head < queue.count {
            let state = Int(queue[head])
            head += 1
            for (byte, child) in children[state].sorted(by: { $0.key < $1.key }) {
                var f = Int(fail[state])
                while f != 0 && children[f][byte] == nil { f = Int(fail[f]) }
                let target = children[f][byte].map(Int.init) ?? 0
                fail[Int(child)] = Int32(target == Int(child) ? 0 : target)
                merged[Int(child)].append(contentsOf: merged[Int(fail[Int(child)])])
                queue.append(child)
            }
        }
        // 3. Flatten.
        var rootNext = [Int32](repeating: 0, count: 256)
        for (byte, child) in children[0] { rootNext[Int(byte)] = child }
        var edgeStart: [Int32] = []
        var edgeBytes: [UInt8] = []
        var edgeTargets: [Int32] = []
        var outputStart: [Int32] = []
        var outputs: [Int32] = []
        edgeStart.reserveCapacity(count + 1)
        for state in 0..<count {
            edgeStart.append(Int32(edgeBytes.count))
            for (byte, child) in children[state].sorted(by: { $0.key < $1.key }) {
                edgeBytes.append(byte)
                edgeTargets.append(child)
            }
            outputStart.append(Int32(outputs.count))
            outputs.append(contentsOf: merged[state])
        }
        edgeStart.append(Int32(edgeBytes.count))
        outputStart.append(Int32(outputs.count))
        self.rootNext = rootNext
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
        rootNext.withUnsafeBufferPointer { root in
        edgeStart.withUnsafeBufferPointer { edgeStart in
        edgeBytes.withUnsafeBufferPointer { edgeBytes in
        edgeTargets.withUnsafeBufferPointer { edgeTargets in
        fail.withUnsafeBufferPointer { fail in
        outputStart.withUnsafeBufferPointer { outputStart in
        outputs.withUnsafeBufferPointer { outputs in
            var state = 0
            for i in 0..<bytes.count {
                let byte = bytes[i]
                // Follow failure links until a state has an edge for this byte (the root has all).
                while true {
                    if state == 0 {
                        state = Int(root[Int(byte)])
                        break
                    }
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
                        break
                    }
                    state = Int(fail[state])
                }
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
