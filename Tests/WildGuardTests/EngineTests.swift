import Foundation
import Testing
@testable import WildGuard

@Suite("Engine")
struct EngineTests {
    let engine: Engine

    init() throws { engine = try Fixtures.engine }

    @Test("decides every kind of bad input without crashing", arguments: [
        "", " ", "\u{0}\u{0}\u{0}", "🐘🐘🐘🦏", "🦜", "ئۇيغۇرچە تېكىست", "ᐃᓄᒃᑎᑐᑦ", "𓀀𓀁𓀂", "\u{202E}gnitset\u{202C}",
        String(repeating: "a", count: 100_000), String(repeating: "i v o r y ", count: 20_000),
    ])
    func badInput(text: String) {
        let decision = engine.classify(text)
        #expect(Action.allCases.contains(decision.action))
    }

    /// A pool lends a warm classifier and takes it back: the next call gets the same one, a call
    /// inside another gets another, and what it decides is what a fresh one decides.
    @Test func aPoolLendsTheSameWarmClassifierAgain() {
        let pool = ClassifierPool(engine: engine)
        let listing = "Carved ivory bangle, WhatsApp for price"
        let first = pool.withClassifier { classifier in
            _ = classifier.classify(listing)
            return ObjectIdentifier(classifier)
        }
        #expect(pool.withClassifier { ObjectIdentifier($0) } == first)
        let (outer, inner) = pool.withClassifier { outer in
            (ObjectIdentifier(outer), pool.withClassifier { ObjectIdentifier($0) })
        }
        #expect(outer != inner && [outer, inner].contains(first) && pool.idleCount == 2)
        let lent = pool.withClassifier { $0.classify(listing) }
        let fresh = engine.makeClassifier().classify(listing)
        #expect(lent.action == fresh.action && lent.score == fresh.score && lent.reasons.count == fresh.reasons.count)
    }

    /// An engine whose classifiers were pooled and run in batches is freed with its pool: the
    /// pool holds the engine, never the other way round (the engine holding a pool of
    /// classifiers, each holding the engine, was a cycle that leaked every engine).
    @Test func anEngineIsFreedWithItsPool() throws {
        weak var freed: Engine?
        do {
            let engine = try Engine(taxonomy: self.engine.taxonomy, policy: self.engine.policy)
            let pool = ClassifierPool(engine: engine)
            _ = engine.parallelMap(count: 40, jobs: 2, pool: pool) { classifier, i in classifier.classify("ivory \(i)").action }
            _ = engine.classify(batch: ["ivory", "tiger"], jobs: 2)
            #expect(pool.idleCount >= 1)
            freed = engine
        }
        #expect(freed == nil)
    }

    @Test func invalidUTF8IsReplacedAndSaid() {
        let bytes: [UInt8] = Array("ivory bangle ".utf8) + [0xC3, 0x28, 0xFF] + Array(" for sale".utf8)
        let decision = bytes.withUnsafeBufferPointer { engine.makeClassifier().classify(utf8: $0) }
        #expect(decision.fired("input.invalid-utf8"))
    }

    @Test func aOneMegabyteListingIsScreenedWhole() {
        let filler = String(repeating: "lorem ipsum dolor sit amet ", count: 40_000)
        let decision = engine.classify(filler + "raw ivory tusk for sale, WhatsApp me")
        #expect(decision.action != .allow)
        #expect(decision.reasons.contains { ($0.span?.lowerBound ?? 0) > 1_000_000 })
    }

    @Test func overLongListingsAreTruncatedAndSaySo() throws {
        var options = Engine.Options()
        options.maxListingBytes = 1_000
        let small = try Engine(taxonomy: engine.taxonomy, policy: engine.policy, options: options)
        let decision = small.classify(String(repeating: "é", count: 2_000))
        #expect(decision.fired("input.truncated"))
    }

    @Test func aListingThatHitsAMatchLimitGoesToReview() throws {
        let yaml = """
            kind: intent
            entries:
              - id: intent.slow
                patterns: ['sale (?:a|a)*c']
                source: test
                examples: {positive: ['sale ac'], negative: [sold]}
            """
        let dir = try Fixtures.temporaryTaxonomy(files: ["lexicon/a.yaml": yaml])
        var options = Engine.Options()
        options.matchLimit = 1_000
        let slow = try Engine(taxonomy: Taxonomy(directory: dir), policy: Policy.resolve("strict-marketplace", taxonomyDirectory: dir), options: options)
        // Overlapping alternatives under a repeat backtrack exponentially: only the match limit stops them.
        let decision = slow.classify("sale " + String(repeating: "a", count: 40) + " c")
        #expect(decision.action == .review)
        #expect(decision.fired("limit.pcre2"))
    }

    @Test func batchResultsComeBackInInputOrder() {
        let texts = (0..<2_000).map { i in i % 3 == 0 ? "raw ivory tusk for sale #\(i)" : "blue cotton dress size \(i)" }
        let batch = engine.classify(batch: texts, jobs: 4)
        #expect(batch.count == texts.count)
        for (i, decision) in batch.enumerated() {
            #expect(decision.action == engine.classify(texts[i]).action)
        }
    }

    @Test func decisionsAreDeterministicAndCarryTheirFingerprint() {
        let text = "Sừng tê giác thật, giá tốt, liên hệ Zalo"
        let a = engine.classify(text)
        let b = engine.classify(text)
        #expect(a.action == b.action && a.score == b.score && a.reasons.map(\.rule) == b.reasons.map(\.rule))
        #expect(a.fingerprint == engine.fingerprint)
        #expect(a.policy == "strict-marketplace")
    }
}

@Suite("Decisions")
struct DecisionTests {
    let engine: Engine

    init() throws { engine = try Fixtures.engine }

    @Test("blocks clear trade in protected wildlife", arguments: [
        "Raw ivory tusk 3kg for sale, WhatsApp +254 7xx xxx xxx",
        "出售象牙手镯，价格私聊",
        "Bán sừng tê giác thật, liên hệ Zalo",
        "Pangolin scales 5kg available, DM for price",
        "Baby slow loris for sale, very tame, 300 USD",
        "Antique carved ivory netsuke, Meiji period, £450",
        "Tiger bone wine, 2 bottles, ship worldwide",
    ])
    func blocks(text: String) {
        let d = engine.classify(text)
        #expect(d.action == .block, "\(text): \(d.reasons.map(\.rule))")
    }

    @Test("lets harmless look-alikes through", arguments: [
        "Ivory lace wedding dress, size 10, worn once",
        "Tiger Balm red ointment 19.4g",
        "Jaguar XF 2015 diesel for sale",
        "Ebony and Ivory by Paul McCartney on vinyl",
        "Faux ivory resin bangle, £5",
        "Police seized 2 tonnes of ivory at the port",
    ])
    func allows(text: String) {
        let d = engine.classify(text)
        #expect(d.action == .allow, "\(text): \(d.reasons.map(\.rule))")
    }

    /// A primate named next to an offer, with nothing that makes it an object, a product or a
    /// harmless mention, is a live animal for sale (`WG_PRIMATE_OFFER`); objects, prints and
    /// bands are not.
    @Test func primatesOfferedByNameAreBlockedByTheirRule() {
        let offers = ["Tarsier for sale, 5k, ship via LBC", "Marmoset for sale, male, $1500, can ship",
                      "Vendo mono capuchino, 1500 dólares"]
        for text in offers {
            let d = engine.classify(text)
            #expect(d.action == .block && d.decidingRule == "WG_PRIMATE_OFFER", "\(text): \(d.reasons.map(\.rule))")
        }
        let notOffers = ["Brass monkey statue for sale, 20cm, $35", "Arctic Monkeys tickets for sale, 2 standing, Manchester",
                         "Lemur print cushion cover, 45x45, £12", "Vendo peluche de mono, grande, 15 euros"]
        for text in notOffers {
            let rules = engine.classify(text).reasons.map(\.rule)
            #expect(engine.classify(text).action == .allow && !rules.contains("WG_PRIMATE_OFFER"), "\(text): \(rules)")
        }
    }

    /// `rule` allows each of `allowed`, and steps aside for each of `blocked` (a real offer beside
    /// the harmless words), which then blocks.
    private func expectAllowRule(_ rule: String, allows allowed: [String], blocks blocked: [String]) {
        for text in blocked {
            let d = engine.classify(text)
            #expect(d.action == .block && !d.reasons.contains { $0.rule == rule }, "\(text): \(d.reasons.map(\.rule))")
        }
        for text in allowed {
            let d = engine.classify(text)
            #expect(d.action == .allow && d.decidingRule == rule, "\(text): \(d.reasons.map(\.rule))")
        }
    }

    /// A legal pet in the listing does not allow it when a primate, big cat, bear or other
    /// prohibited group is offered beside it (`WG_LEGAL_PET` has `WG_PROHIBITED_GROUP_SPECIMEN`
    /// among its exclusions); the pet alone is still allowed.
    @Test func aLegalPetDoesNotAllowAPrimateOfferedBesideIt() {
        expectAllowRule("WG_LEGAL_PET",
                        allows: ["Lovebird for sale, hand fed, $120", "Vendo agapornis, 40 euros"],
                        blocks: ["Baby marmoset and lovebird for sale, $900", "Agapornis y mono capuchino bebé, 1500 €"])
    }

    /// Food and brand names excuse the wildlife word in them ("tiger prawns", "Tiger Balm"), but
    /// not a banned product offered with a price or a sale word in the same listing
    /// (`WG_FOOD_OR_BRAND_CONTEXT` and `WG_PRICED_PROHIBITED_PRODUCT`).
    @Test func foodAndBrandNamesDoNotExcuseABannedProductOffered() {
        expectAllowRule("WG_FOOD_OR_BRAND_CONTEXT",
                        allows: ["Tiger prawns 1kg, $12, fresh today", "Tiger Balm white 19g, $4"],
                        blocks: ["Tiger prawns 1kg and tiger bone wine, $50", "Tiger Balm and rhino horn powder 10g, $80"])
    }

    /// A job advertisement excuses an animal name in it (a bar, zoo or shop that is hiring), but
    /// not a banned product in the same listing (`WG_JOB_AD_CONTEXT` excludes it).
    @Test func aJobAdDoesNotExcuseABannedProductInTheSameListing() {
        expectAllowRule("WG_JOB_AD_CONTEXT",
                        allows: ["We are hiring a zookeeper! Apply by Friday",
                                 "Se busca camarero para el bar El Elefante, jornada completa, 1.300 €"],
                        blocks: ["We are hiring! Also selling ivory bangles, $200",
                                 "Se busca camarero, jornada completa. Vendo colmillo de marfil, 500 €"])
    }

    @Test func mammothIvoryGoesToReview() {
        #expect(engine.classify("Mammoth ivory carving, certified fossil, $800").action == .review)
    }

    @Test func theLenientProfileSendsAntiquesToReview() throws {
        let lenient = try Fixtures.engine(policy: "lenient-antiques")
        let text = "Antique carved ivory netsuke, Meiji period, £450"
        #expect(lenient.classify(text).action == .review)
        #expect(engine.classify(text).action == .block)
    }

    @Test func reasonsExplainTheTaxonAndTheSpan() {
        let text = "Selling rhino horn powder, 100g"
        let d = engine.classify(text)
        let taxon = d.reasons.first { $0.taxon != nil }
        #expect(taxon?.taxon?.appendix != nil)
        for reason in d.reasons {
            guard let span = reason.span else { continue }
            #expect(String(decoding: Array(text.utf8)[span], as: UTF8.self) == reason.matched)
        }
    }
}
