// The smallest embedding of WildGuard: load the bundled taxonomy once, share the engine, screen
// listings, and act on the decision and its evidence.
import WildGuard

let engine: Engine
do {
    engine = try Engine(taxonomyDirectory: Taxonomy.bundledDirectory() ?? "Taxonomy", policy: "strict-marketplace")
} catch {
    print("cannot load the taxonomy: \(error)")
    throw error
}

let listings = [
    "Carved ivory bangle, 45g, WhatsApp for price",
    "Ivory silk wedding dress, size 10",
    "Mammoth ivory pendant from Siberia, certified fossil, $120",
]

for (listing, decision) in zip(listings, engine.classify(batch: listings)) {
    print("\(decision.action.rawValue.uppercased())  \(listing)")
    for reason in decision.reasons where reason.kind != "rule" {
        let taxon = reason.taxon.map { " [\($0.scientificName), CITES \($0.appendix.rawValue)]" } ?? ""
        print("    \(reason.rule): «\(reason.matched)»\(taxon)")
    }
    if let rule = decision.decidingRule { print("    decided by \(rule)") }
}
