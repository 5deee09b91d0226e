import Foundation

/// Whether two hosts ran the same job. Everything in the comparison plan must match (engines,
/// depths, block sizes, rounds, seed, runtime, size, options) except where the data file lives
/// and the job's name, which the inventory may set per host group.
public enum FleetJobMatch {
    /// Differences as "<field> <a> in <first> vs <b> in <other>", at most `limit`.
    static func differences(_ a: ComparisonPlan, _ b: ComparisonPlan, firstName: String, otherName: String,
                                   limit: Int = 3) -> [String] {
        let fa = flatten(normalized(a)), fb = flatten(normalized(b))
        var out: [String] = []
        for key in Set(fa.keys).union(fb.keys).sorted() where fa[key] != fb[key] {
            out.append("\(label(key)) \(fa[key] ?? "unset") in \(firstName) vs \(fb[key] ?? "unset") in \(otherName)")
        }
        if out.count > limit { out = Array(out.prefix(limit)) + ["\(out.count - limit) more"] }
        return out
    }

    static func normalized(_ plan: ComparisonPlan) -> ComparisonPlan {
        var p = plan
        p.base.filename = ""
        p.base.jobFiles = nil
        p.base.name = ""
        p.jobs = p.jobs?.map { job in
            var j = job
            j.filename = ""
            j.jobFiles = nil
            return j
        }
        return p
    }

    /// The plan as dotted keys and printable values ("base.randSeed" → "1592594192").
    static func flatten(_ plan: ComparisonPlan) -> [String: String] {
        guard let data = try? JSONEncoder().encode(plan),
              let object = try? JSONSerialization.jsonObject(with: data) else { return [:] }
        var out: [String: String] = [:]
        func walk(_ value: Any, _ path: String) {
            switch value {
            case let dict as [String: Any]:
                for (k, v) in dict { walk(v, path.isEmpty ? k : path + "." + k) }
            case let array as [Any]:
                // Lists (engines, depths) compare as a whole: order is part of the plan.
                out[path] = "[" + array.map { "\($0)" }.joined(separator: ",") + "]"
            case is NSNull:
                break
            default:
                out[path] = "\(value)"
            }
        }
        walk(object, "")
        return out
    }

    /// fio's option names where there is one.
    static func label(_ key: String) -> String {
        let names = [
            "base.randSeed": "randseed", "base.runtimeNanoseconds": "runtime (ns)", "base.rampNanoseconds": "ramp_time (ns)",
            "base.size": "size", "base.blockSize": "bs", "base.iodepth": "iodepth", "base.direct": "direct",
            "base.rateIOPS": "rate_iops", "base.fixedBuffers": "fixedbufs", "base.registerFiles": "registerfiles",
            "base.invalidate": "invalidate", "base.verify": "verify", "base.batchSubmit": "iodepth_batch_submit",
            "base.batchCompleteMin": "iodepth_batch_complete_min", "base.batchCompleteMax": "iodepth_batch_complete_max",
            "engines": "engines", "iodepths": "iodepth list", "blockSizes": "bs list", "rounds": "rounds",
            "baselineEngine": "baseline engine", "base.randomMap": "random map (norandommap=0)",
            "base.randomGenerator": "random_generator", "base.randomDistribution": "random_distribution",
            "base.fadviseHint": "fadvise_hint", "base.timeBased": "time_based", "base.ioSize": "io_size",
            "base.numberIOs": "number_ios", "base.loops": "loops",
        ]
        return names[key] ?? key
    }
}
