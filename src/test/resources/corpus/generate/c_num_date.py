from common import *
from datetime import datetime, timezone

F = "numeric"
T, Fa = True, False
MFA = "aws:MultiFactorAuthAge"
RD = "ec2:RoleDelivery"

ca(F, "eq-match", {"NumericEquals": {MFA: "3600"}}, {MFA: "3600"}, T, "[Ops] NumericEquals equal integers")
ca(F, "eq-decimal-form", {"NumericEquals": {MFA: "3600"}}, {MFA: "3600.0"}, T, "[Ops] NumericEquals compares numerically (3600 == 3600.0)")
ca(F, "eq-trailing-zero-decimal", {"NumericEquals": {RD: "2.50"}}, {RD: "2.5"}, T, "[Ops] NumericEquals decimals 2.50 == 2.5")
ca(F, "eq-miss", {"NumericEquals": {MFA: "3600"}}, {MFA: "3601"}, Fa, "[Ops] NumericEquals different")
ca(F, "eq-json-number", {"NumericEquals": {MFA: 300}}, {MFA: "300"}, T, "[Ops] NumericEquals with a JSON number in the policy")
ca(F, "eq-multi-or", {"NumericEquals": {RD: ["1.0", "2.0"]}}, {RD: "2"}, T, "[Cond] NumericEquals OR over values")
ca(F, "eq-missing", {"NumericEquals": {MFA: "0"}}, {}, Fa, "[Cond] missing key: Numeric operator false")
ca(F, "eq-negative", {"NumericEquals": {MFA: "-15"}}, {MFA: "-15.0"}, T, "[Ops] NumericEquals negative numbers")
ca(F, "ne-equal", {"NumericNotEquals": {MFA: "10"}}, {MFA: "10"}, Fa, "[Ops] NumericNotEquals equal -> false")
ca(F, "ne-differs", {"NumericNotEquals": {MFA: "10"}}, {MFA: "11"}, T, "[Ops] NumericNotEquals different -> true")
ca(F, "ne-nor-hit", {"NumericNotEquals": {MFA: ["10", "20"]}}, {MFA: "20"}, Fa, "[Cond] NumericNotEquals NOR: equals a listed value")
ca(F, "ne-nor-none", {"NumericNotEquals": {MFA: ["10", "20"]}}, {MFA: "30"}, T, "[Cond] NumericNotEquals NOR: equals none")
ca(F, "ne-missing", {"NumericNotEquals": {MFA: "10"}}, {}, T, "[Cond] missing key: NumericNotEquals true")
ca(F, "ne-decimal-equal", {"NumericNotEquals": {RD: "1"}}, {RD: "1.000"}, Fa, "[Ops] NumericNotEquals: 1 and 1.000 are equal")
ca(F, "lt-decimal", {"NumericLessThan": {RD: "1"}}, {RD: "0.5"}, T, "[Ops] NumericLessThan 0.5 < 1")
ca(F, "lt-equal", {"NumericLessThan": {MFA: "1"}}, {MFA: "1"}, Fa, "[Ops] NumericLessThan strict")
ca(F, "lt-negative", {"NumericLessThan": {MFA: "0"}}, {MFA: "-5"}, T, "[Ops] NumericLessThan -5 < 0")
ca(F, "lt-negative-decimals", {"NumericLessThan": {MFA: "-1"}}, {MFA: "-0.5"}, Fa, "[Ops] NumericLessThan -0.5 is not < -1")
ca(F, "lt-just-below", {"NumericLessThan": {MFA: "3600"}}, {MFA: "3599.999"}, T, "[Ops] NumericLessThan 3599.999 < 3600")
ca(F, "lt-not-lexicographic", {"NumericLessThan": {MFA: "100"}}, {MFA: "99"}, T, "[Ops] numeric, not string, comparison: 99 < 100")
ca(F, "le-equal", {"NumericLessThanEquals": {MFA: "3600"}}, {MFA: "3600"}, T, "[Ops] NumericLessThanEquals equal")
ca(F, "le-greater", {"NumericLessThanEquals": {MFA: "3600"}}, {MFA: "3600.5"}, Fa, "[Ops] NumericLessThanEquals greater")
ca(F, "le-negative-equal", {"NumericLessThanEquals": {MFA: "-1"}}, {MFA: "-1.0"}, T, "[Ops] NumericLessThanEquals -1.0 <= -1")
ca(F, "gt-decimal", {"NumericGreaterThan": {RD: "1.25"}}, {RD: "1.5"}, T, "[Ops] NumericGreaterThan 1.5 > 1.25")
ca(F, "gt-equal", {"NumericGreaterThan": {RD: "1"}}, {RD: "1"}, Fa, "[Ops] NumericGreaterThan strict")
ca(F, "gt-negative", {"NumericGreaterThan": {MFA: "-2"}}, {MFA: "-1"}, T, "[Ops] NumericGreaterThan -1 > -2")
ca(F, "gt-not-lexicographic", {"NumericGreaterThan": {MFA: "9"}}, {MFA: "10"}, T, "[Ops] numeric comparison: 10 > 9")
ca(F, "ge-equal", {"NumericGreaterThanEquals": {MFA: "0"}}, {MFA: "0"}, T, "[Ops] NumericGreaterThanEquals equal")
ca(F, "ge-negative-fraction", {"NumericGreaterThanEquals": {MFA: "-0.0001"}}, {MFA: "0"}, T, "[Ops] NumericGreaterThanEquals 0 >= -0.0001")
ca(F, "ge-less", {"NumericGreaterThanEquals": {MFA: "60"}}, {MFA: "59.99"}, Fa, "[Ops] NumericGreaterThanEquals less")
ca(F, "ge-missing", {"NumericGreaterThanEquals": {MFA: "0"}}, {}, Fa, "[Cond] missing key: false")
ca(F, "lt-missing", {"NumericLessThan": {MFA: "3600"}}, {}, Fa, "[Cond] missing key: false")
ca(F, "epochtime-numeric", {"NumericGreaterThan": {"aws:EpochTime": "1700000000"}}, {"aws:EpochTime": "1750000000"}, T, "[Ops] aws:EpochTime works with Numeric operators")
ca(F, "typed-numeric", {"NumericLessThanEquals": {MFA: "900"}}, {MFA: {"type": "numeric", "values": ["899"]}}, T, "[Ops] typed numeric context value")
ca(F, "typed-numeric-miss", {"NumericLessThanEquals": {MFA: "900"}}, {MFA: {"type": "numeric", "values": ["901"]}}, Fa, "[Ops] typed numeric context value, too large")
cd(F, "deny-mfa-old", {"NumericGreaterThan": {MFA: "3600"}}, {MFA: "7200"}, T, "[Ops] Deny when MFA older than an hour")
cd(F, "deny-mfa-fresh", {"NumericGreaterThan": {MFA: "3600"}}, {MFA: "1800"}, Fa, "[Ops] Deny MFA age: fresh MFA")
cd(F, "deny-mfa-missing", {"NumericGreaterThan": {MFA: "3600"}}, {}, Fa, "[Cond] Deny with Numeric op and missing key does not apply")
cd(F, "deny-ne-missing", {"NumericNotEquals": {RD: "2"}}, {}, T, "[Cond] Deny NumericNotEquals with missing key applies")
cd(F, "deny-lt-negative", {"NumericLessThan": {RD: "-12.5"}}, {RD: "-12.75"}, T, "[Ops] Deny NumericLessThan -12.75 < -12.5")
ca(F, "range-two-ops", {"NumericGreaterThanEquals": {MFA: "0"}, "NumericLessThan": {MFA: "600"}}, {MFA: "599"}, T, "[Cond] two Numeric operators AND (range)")
ca(F, "range-two-ops-out", {"NumericGreaterThanEquals": {MFA: "0"}, "NumericLessThan": {MFA: "600"}}, {MFA: "600"}, Fa, "[Cond] range, upper bound excluded")

# ------------------------------------------------------------------ dates
F = "date"
CT = "aws:CurrentTime"
ET = "aws:EpochTime"
TIT = "aws:TokenIssueTime"


def ep(s):
    return str(int(datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()))


T0 = "2026-03-15T10:30:00Z"
E0 = ep(T0)  # 1773570600
assert E0 == "1773570600", E0

ca(F, "eq-same", {"DateEquals": {CT: T0}}, {CT: T0}, T, "[Ops] DateEquals same instant")
ca(F, "eq-plus-offset", {"DateEquals": {CT: "2026-03-15T12:30:00+02:00"}}, {CT: T0}, T, "[Ops] DateEquals: +02:00 offset denotes the same instant")
ca(F, "eq-minus-offset", {"DateEquals": {CT: "2026-03-15T05:30:00-05:00"}}, {CT: T0}, T, "[Ops] DateEquals: -05:00 offset")
ca(F, "eq-epoch-policy", {"DateEquals": {CT: E0}}, {CT: T0}, T, "[Ops] DateEquals: epoch seconds in policy vs ISO context")
ca(F, "eq-minutes-form", {"DateEquals": {CT: "2026-03-15T10:30Z"}}, {CT: T0}, T, "[Ops] YYYY-MM-DDThh:mmTZD form")
ca(F, "eq-fraction-zero", {"DateEquals": {CT: "2026-03-15T10:30:00.000Z"}}, {CT: T0}, T, "[Ops] fractional seconds .000 is the same instant")
ca(F, "eq-date-only-is-midnight", {"DateEquals": {CT: "2026-03-15"}}, {CT: T0}, Fa, "[Ops] YYYY-MM-DD means midnight, not the whole day")
ca(F, "eq-date-only-midnight-ctx", {"DateEquals": {CT: "2026-03-15"}}, {CT: "2026-03-15T00:00:00Z"}, T, "[Ops] YYYY-MM-DD equals midnight UTC")
ca(F, "eq-one-second-off", {"DateEquals": {CT: "2026-03-15T10:30:01Z"}}, {CT: T0}, Fa, "[Ops] DateEquals one second apart")
ca(F, "eq-multi-or", {"DateEquals": {CT: ["2026-01-01T00:00:00Z", "2026-03-15T11:30:00+01:00"]}}, {CT: T0}, T, "[Cond] DateEquals OR over values")
ca(F, "eq-ctx-offset", {"DateEquals": {CT: T0}}, {CT: "2026-03-15T12:30:00+02:00"}, T, "[Ops] context value with offset")
ca(F, "eq-ctx-epoch", {"DateEquals": {ET: T0}}, {ET: E0}, T, "[Ops] aws:EpochTime context vs ISO policy value")
ca(F, "ne-same-instant", {"DateNotEquals": {CT: "2026-03-15T11:30:00+01:00"}}, {CT: T0}, Fa, "[Ops] DateNotEquals same instant in another zone -> false")
ca(F, "ne-differs", {"DateNotEquals": {CT: "2026-03-15"}}, {CT: T0}, T, "[Ops] DateNotEquals different instant")
ca(F, "ne-nor", {"DateNotEquals": {CT: ["2026-03-14T10:30:00Z", E0]}}, {CT: T0}, Fa, "[Cond] DateNotEquals NOR: equals the epoch value")
ca(F, "ne-missing", {"DateNotEquals": {CT: T0}}, {}, T, "[Cond] missing key: DateNotEquals true")
ca(F, "lt-year-past", {"DateLessThan": {CT: "2026"}}, {CT: T0}, Fa, "[Ops] YYYY form = Jan 1 of that year; 2026-03-15 is not before 2026")
ca(F, "lt-year-future", {"DateLessThan": {CT: "2027"}}, {CT: T0}, T, "[Ops] YYYY form, before 2027")
ca(F, "lt-month", {"DateLessThan": {CT: "2026-04"}}, {CT: T0}, T, "[Ops] YYYY-MM form")
ca(F, "lt-month-same", {"DateLessThan": {CT: "2026-03"}}, {CT: T0}, Fa, "[Ops] YYYY-MM = first of month; mid-March is not before it")
ca(F, "lt-next-day", {"DateLessThan": {CT: "2026-03-16"}}, {CT: T0}, T, "[Ops] YYYY-MM-DD form")
ca(F, "lt-same-day", {"DateLessThan": {CT: "2026-03-15"}}, {CT: T0}, Fa, "[Ops] YYYY-MM-DD is midnight; 10:30 is later")
ca(F, "lt-offset-midnight", {"DateLessThan": {CT: "2026-03-16"}}, {CT: "2026-03-16T00:30:00+02:00"}, T, "[Ops] context 00:30+02:00 is 22:30Z the previous day")
ca(F, "le-equal", {"DateLessThanEquals": {CT: T0}}, {CT: T0}, T, "[Ops] DateLessThanEquals equal")
ca(F, "le-offset-earlier", {"DateLessThanEquals": {CT: "2026-03-15T11:29:59+01:00"}}, {CT: T0}, Fa, "[Ops] 11:29:59+01:00 = 10:29:59Z, context is later")
ca(F, "gt-fraction", {"DateGreaterThan": {CT: "2026-03-15T10:29:59.999Z"}}, {CT: T0}, T, "[Ops] fractional seconds in policy")
ca(F, "gt-equal", {"DateGreaterThan": {CT: T0}}, {CT: T0}, Fa, "[Ops] DateGreaterThan strict")
ca(F, "gt-ctx-fraction", {"DateGreaterThan": {CT: T0}}, {CT: "2026-03-15T10:30:00.250Z"}, T, "[Ops] fractional seconds in context")
ca(F, "ge-epoch-equal", {"DateGreaterThanEquals": {CT: E0}}, {CT: T0}, T, "[Ops] epoch policy value equal instant")
ca(F, "ge-offset-equal", {"DateGreaterThanEquals": {CT: "2026-03-15T06:30:00-04:00"}}, {CT: T0}, T, "[Ops] -04:00 offset same instant")
ca(F, "ge-half-hour-offset", {"DateGreaterThanEquals": {CT: "2026-03-15T10:30:00-00:30"}}, {CT: T0}, Fa, "[Ops] 10:30-00:30 = 11:00Z, context is earlier")
ca(F, "ge-month", {"DateGreaterThanEquals": {CT: "2026-03"}}, {CT: T0}, T, "[Ops] YYYY-MM form")
ca(F, "lt-epoch-ctx-iso-policy", {"DateLessThan": {ET: "2026-03-15T10:30:01Z"}}, {ET: E0}, T, "[Ops] epoch context vs ISO policy")
ca(F, "gt-epoch-both", {"DateGreaterThan": {ET: str(int(E0) - 1)}}, {ET: E0}, T, "[Ops] epoch in both")
ca(F, "gt-missing", {"DateGreaterThan": {CT: "2020-01-01T00:00:00Z"}}, {}, Fa, "[Cond] missing key: false")
ca(F, "le-missing", {"DateLessThanEquals": {CT: "2030-01-01"}}, {}, Fa, "[Cond] missing key: false")
ca(F, "typed-date", {"DateLessThan": {CT: "2026-12-31T23:59:59Z"}}, {CT: {"type": "date", "values": [T0]}}, T, "[Ops] typed date context value")
ca(F, "window-inside", {"DateGreaterThan": {CT: "2026-03-01T00:00:00Z"}, "DateLessThan": {CT: "2026-04-01T00:00:00Z"}}, {CT: T0}, T, "[Cond] time window: two Date operators AND")
ca(F, "window-outside", {"DateGreaterThan": {CT: "2026-03-01T00:00:00Z"}, "DateLessThan": {CT: "2026-04-01T00:00:00Z"}}, {CT: "2026-04-01T00:00:00Z"}, Fa, "[Cond] time window: end excluded")
cd(F, "deny-after-expiry", {"DateGreaterThan": {CT: "2026-06-30T23:59:59Z"}}, {CT: "2026-07-01T00:00:00Z"}, T, "[Ops] Deny after expiry date")
cd(F, "deny-before-expiry", {"DateGreaterThan": {CT: "2026-06-30T23:59:59Z"}}, {CT: "2026-06-30T23:59:59+00:00"}, Fa, "[Ops] Deny DateGreaterThan: equal instant is not greater")
cd(F, "deny-expiry-missing", {"DateGreaterThan": {CT: "2026-06-30T23:59:59Z"}}, {}, Fa, "[Cond] Deny Date op with missing key does not apply")
cd(F, "deny-old-token", {"DateLessThan": {TIT: "2026-03-01T00:00:00Z"}}, {TIT: "2026-02-28T23:00:00Z"}, T, "[Ops] Deny sessions issued before a revocation time")
cd(F, "deny-old-token-offset", {"DateLessThan": {TIT: "2026-03-01T00:00:00Z"}}, {TIT: "2026-03-01T00:30:00+01:00"}, T, "[Ops] 00:30+01:00 on Mar 1 is 23:30Z on Feb 28: still before the revocation time")
cd(F, "deny-old-token-after", {"DateLessThan": {TIT: "2026-03-01T00:00:00Z"}}, {TIT: "2026-03-01T00:00:00.5Z"}, Fa, "[Ops] half a second after the revocation time")
cd(F, "deny-notequals-missing", {"DateNotEquals": {TIT: "2026-03-01"}}, {}, T, "[Cond] Deny DateNotEquals missing key applies")
