from common import *
import base64

T, Fa = True, False
F = "bool-binary"
ST = "aws:SecureTransport"
MFP = "aws:MultiFactorAuthPresent"
VIA = "aws:ViaAWSService"

ca(F, "true-true", {"Bool": {ST: "true"}}, {ST: "true"}, T, "[Ops] Bool true")
ca(F, "policy-upper", {"Bool": {ST: "TRUE"}}, {ST: "true"}, T, "[Ops] Bool compares case-insensitively (policy TRUE)")
ca(F, "policy-mixed-ctx-upper", {"Bool": {MFP: "True"}}, {MFP: "TRUE"}, T, "[Ops] Bool case-insensitive on both sides")
ca(F, "json-true", {"Bool": {MFP: True}}, {MFP: "true"}, T, "[Ops] Bool accepts a JSON boolean in the policy")
ca(F, "json-false", {"Bool": {VIA: False}}, {VIA: "false"}, T, "[Ops] Bool JSON false")
ca(F, "json-true-vs-false", {"Bool": {VIA: True}}, {VIA: "false"}, Fa, "[Ops] Bool JSON true vs context false")
ca(F, "false-vs-true", {"Bool": {ST: "false"}}, {ST: "true"}, Fa, "[Ops] Bool mismatch")
ca(F, "upper-false-vs-false", {"Bool": {ST: "FALSE"}}, {ST: "false"}, T, "[Ops] Bool FALSE equals false")
ca(F, "two-values-or", {"Bool": {VIA: ["true", "false"]}}, {VIA: "false"}, T, "[Cond] Bool OR over values")
ca(F, "missing", {"Bool": {ST: "true"}}, {}, Fa, "[Cond] missing key: Bool false")
ca(F, "missing-false-value", {"Bool": {ST: "false"}}, {}, Fa, "[Cond] missing key: Bool false even when testing for false")
ca(F, "typed-boolean", {"Bool": {"aws:PrincipalIsAWSService": "false"}}, {"aws:PrincipalIsAWSService": {"type": "boolean", "values": ["false"]}}, T, "[Ops] typed boolean context")
ca(F, "keyname-ci", {"Bool": {"aws:securetransport": "true"}}, {"AWS:SecureTransport": "true"}, T, "[Cond] Bool key name case-insensitive")
cd(F, "deny-insecure", {"Bool": {ST: "false"}}, {ST: "false"}, T, "[Ops] Deny when SecureTransport is false")
cd(F, "deny-insecure-secure", {"Bool": {ST: "false"}}, {ST: "true"}, Fa, "[Ops] Deny insecure: secure request allowed")
cd(F, "deny-insecure-missing", {"Bool": {ST: "false"}}, {}, Fa, "[Cond] Deny Bool with missing key does not apply")
cd(F, "deny-boolifexists-present-false", {"BoolIfExists": {MFP: "false"}}, {MFP: "false"}, T, "[Ops] BoolIfExists present: base operator")
cd(F, "deny-boolifexists-present-upper", {"BoolIfExists": {MFP: "false"}}, {MFP: "TRUE"}, Fa, "[Ops] BoolIfExists present TRUE vs false")
ca(F, "foranyvalue-bool", {"ForAnyValue:Bool": {"aws:ViaAWSService": "true"}}, {"aws:ViaAWSService": {"type": "booleanList", "values": ["false", "true"]}}, T, "[Ops][Multi] ForAnyValue:Bool over a boolean list")
ca(F, "forallvalues-bool", {"ForAllValues:Bool": {"aws:ViaAWSService": "true"}}, {"aws:ViaAWSService": {"type": "booleanList", "values": ["false", "true"]}}, Fa, "[Ops][Multi] ForAllValues:Bool, one value false")

DK = "custom:RequestDigest"
b = lambda s: base64.b64encode(s).decode()
HELLO = b(b"Hello")      # SGVsbG8=
BIN1 = b(bytes([0x00, 0xff, 0x10, 0x80, 0x7f]))
ca(F, "binary-equal", {"BinaryEquals": {DK: HELLO}}, {DK: {"type": "binary", "values": [HELLO]}}, T, "[Ops] BinaryEquals same bytes")
ca(F, "binary-nonascii", {"BinaryEquals": {DK: BIN1}}, {DK: {"type": "binary", "values": [BIN1]}}, T, "[Ops] BinaryEquals non-text bytes")
ca(F, "binary-different", {"BinaryEquals": {DK: HELLO}}, {DK: {"type": "binary", "values": [b(b"Hellp")]}}, Fa, "[Ops] BinaryEquals different bytes")
ca(F, "binary-case-of-base64", {"BinaryEquals": {DK: HELLO.lower()}}, {DK: {"type": "binary", "values": [HELLO]}}, Fa, "[Ops] base64 is case-sensitive: sgvsbg8= decodes to other bytes")
ca(F, "binary-multi-or", {"BinaryEquals": {DK: [b(b"abc"), HELLO]}}, {DK: {"type": "binary", "values": [HELLO]}}, T, "[Cond] BinaryEquals OR over values")
ca(F, "binary-missing", {"BinaryEquals": {DK: HELLO}}, {}, Fa, "[Cond] missing key: BinaryEquals false")
cd(F, "deny-binary-hit", {"BinaryEquals": {DK: BIN1}}, {DK: {"type": "binary", "values": [BIN1]}}, T, "[Ops] Deny BinaryEquals matches")
cd(F, "deny-binary-miss", {"BinaryEquals": {DK: BIN1}}, {DK: {"type": "binary", "values": [HELLO]}}, Fa, "[Ops] Deny BinaryEquals no match")
ca(F, "binary-ifexists-missing", {"BinaryEqualsIfExists": {DK: HELLO}}, {}, T, "[Ops] BinaryEqualsIfExists missing key -> true")

# ------------------------------------------------------------------ IP
F = "ip"
SIP = "aws:SourceIp"
ca(F, "v4-cidr-in", {"IpAddress": {SIP: "203.0.113.0/24"}}, {SIP: "203.0.113.200"}, T, "[Ops] IPv4 inside /24")
ca(F, "v4-cidr-out", {"IpAddress": {SIP: "203.0.113.0/24"}}, {SIP: "203.0.114.1"}, Fa, "[Ops] IPv4 outside /24")
ca(F, "v4-bare-equal", {"IpAddress": {SIP: "198.51.100.7"}}, {SIP: "198.51.100.7"}, T, "[Ops] bare IPv4 address = /32")
ca(F, "v4-bare-neighbour", {"IpAddress": {SIP: "198.51.100.7"}}, {SIP: "198.51.100.8"}, Fa, "[Ops] bare IPv4 address = /32, neighbour excluded")
ca(F, "v4-slash32", {"IpAddress": {SIP: "198.51.100.7/32"}}, {SIP: "198.51.100.7"}, T, "[Ops] explicit /32")
ca(F, "v4-slash8-edge", {"IpAddress": {SIP: "10.0.0.0/8"}}, {SIP: "10.255.255.255"}, T, "[Ops] last address of 10.0.0.0/8")
ca(F, "v4-slash8-past-edge", {"IpAddress": {SIP: "10.0.0.0/8"}}, {SIP: "11.0.0.0"}, Fa, "[Ops] first address after 10.0.0.0/8")
ca(F, "v4-slash30-in", {"IpAddress": {SIP: "192.0.2.0/30"}}, {SIP: "192.0.2.3"}, T, "[Ops] /30 covers .0-.3")
ca(F, "v4-slash30-out", {"IpAddress": {SIP: "192.0.2.0/30"}}, {SIP: "192.0.2.4"}, Fa, "[Ops] /30 excludes .4")
ca(F, "v4-slash0", {"IpAddress": {SIP: "0.0.0.0/0"}}, {SIP: "198.18.0.1"}, T, "[Ops] 0.0.0.0/0 covers every IPv4 address")
ca(F, "v4-multi-or", {"IpAddress": {SIP: ["192.0.2.0/24", "203.0.113.0/24"]}}, {SIP: "203.0.113.9"}, T, "[Cond] IpAddress OR over values")
ca(F, "v4-missing", {"IpAddress": {SIP: "0.0.0.0/0"}}, {}, Fa, "[Cond] missing key: IpAddress false")
ca(F, "v6-cidr-in", {"IpAddress": {SIP: "2001:db8:1234:5678::/64"}}, {SIP: "2001:db8:1234:5678:abcd::1"}, T, "[Ops] IPv6 inside /64")
ca(F, "v6-cidr-out", {"IpAddress": {SIP: "2001:db8:1234:5678::/64"}}, {SIP: "2001:db8:1234:5679::1"}, Fa, "[Ops] IPv6 outside /64")
ca(F, "v6-upper-hex", {"IpAddress": {SIP: "2001:DB8:1234:5678::/64"}}, {SIP: "2001:db8:1234:5678::42"}, T, "[Ops] IPv6 hex digits case-insensitive (doc example uses upper case)")
ca(F, "v6-bare-equal", {"IpAddress": {SIP: "2001:db8::10"}}, {SIP: "2001:db8::10"}, T, "[Ops] bare IPv6 address = /128 (engine decision)")
ca(F, "v6-bare-neighbour", {"IpAddress": {SIP: "2001:db8::10"}}, {SIP: "2001:db8::11"}, Fa, "[Ops] bare IPv6 address = /128, neighbour excluded (engine decision)")
ca(F, "v6-expanded-form", {"IpAddress": {SIP: "2001:0db8:0000:0000:0000:0000:0000:0010"}}, {SIP: "2001:db8::10"}, T, "[Ops] IPv6 compared as addresses, not text")
ca(F, "v6-slash48-edge", {"IpAddress": {SIP: "2001:db8:abcd::/48"}}, {SIP: "2001:db8:abcd:ffff:ffff:ffff:ffff:ffff"}, T, "[Ops] last address of an IPv6 /48")
ca(F, "v4-policy-v6-ctx", {"IpAddress": {SIP: "203.0.113.0/24"}}, {SIP: "2001:db8::1"}, Fa, "[Ops] IPv4 range does not contain an IPv6 address")
ca(F, "v6-policy-v4-ctx", {"IpAddress": {SIP: "2001:db8::/32"}}, {SIP: "203.0.113.5"}, Fa, "[Ops] IPv6 range does not contain an IPv4 address")
ca(F, "notip-in", {"NotIpAddress": {SIP: "10.0.0.0/8"}}, {SIP: "10.20.30.40"}, Fa, "[Ops] NotIpAddress inside range -> false")
ca(F, "notip-out", {"NotIpAddress": {SIP: "10.0.0.0/8"}}, {SIP: "172.16.0.1"}, T, "[Ops] NotIpAddress outside range -> true")
ca(F, "notip-nor", {"NotIpAddress": {SIP: ["10.0.0.0/8", "2001:db8::/32"]}}, {SIP: "2001:db8:1::5"}, Fa, "[Cond] NotIpAddress NOR: inside the second range")
ca(F, "notip-missing", {"NotIpAddress": {SIP: "10.0.0.0/8"}}, {}, T, "[Cond] missing key: NotIpAddress true")
cd(F, "deny-outside-corp", {"NotIpAddress": {SIP: ["192.0.2.0/24", "2001:db8:1234::/48"]}}, {SIP: "198.51.100.1"}, T, "[Ops] Deny requests from outside the corporate ranges")
cd(F, "deny-outside-corp-v6-inside", {"NotIpAddress": {SIP: ["192.0.2.0/24", "2001:db8:1234::/48"]}}, {SIP: "2001:db8:1234:9::1"}, Fa, "[Ops] IPv6 inside the corporate range")
cd(F, "deny-outside-corp-v6-outside", {"NotIpAddress": {SIP: ["192.0.2.0/24", "2001:db8:1234::/48"]}}, {SIP: "2001:db8:1235::1"}, T, "[Ops] IPv6 just outside the /48")
cd(F, "deny-ipaddress-hit", {"IpAddress": {SIP: "198.51.100.0/24"}}, {SIP: "198.51.100.99"}, T, "[Ops] Deny a blocked range")
cd(F, "deny-ipaddress-missing", {"IpAddress": {SIP: "198.51.100.0/24"}}, {}, Fa, "[Cond] Deny IpAddress with missing key does not apply")
ca(F, "vpcsourceip", {"IpAddress": {"aws:VpcSourceIp": "10.10.0.0/16"}}, {"aws:VpcSourceIp": "10.10.5.5"}, T, "[Ops] IpAddress on aws:VpcSourceIp")
ca(F, "typed-ip", {"IpAddress": {SIP: "192.0.2.0/24"}}, {SIP: {"type": "ip", "values": ["192.0.2.77"]}}, T, "[Ops] typed ip context")
ca(F, "keyname-ci", {"IpAddress": {"AWS:SOURCEIP": "192.0.2.0/24"}}, {SIP: "192.0.2.1"}, T, "[Cond] key name case-insensitive")
cd(F, "deny-notip-ifexists-missing", {"NotIpAddressIfExists": {SIP: "192.0.2.0/24"}}, {}, T, "[Ops] NotIpAddressIfExists missing key -> true, Deny applies")
ca(F, "ipifexists-missing", {"IpAddressIfExists": {SIP: "192.0.2.0/24"}}, {}, T, "[Ops] IpAddressIfExists missing key -> true")
ca(F, "ipifexists-present-out", {"IpAddressIfExists": {SIP: "192.0.2.0/24"}}, {SIP: "192.0.3.1"}, Fa, "[Ops] IpAddressIfExists present: base operator")

# ------------------------------------------------------------------ ARN operators
F = "arn-operators"
PA = "aws:PrincipalArn"
SA = "aws:SourceArn"
UA = "connect:UserArn"
ROLE = f"arn:aws:iam::{AC}:role/ConnectAdmin"
ca(F, "equals-exact", {"ArnEquals": {PA: ROLE}}, {PA: ROLE}, T, "[Ops] ArnEquals exact")
ca(F, "equals-other-role", {"ArnEquals": {PA: ROLE}}, {PA: f"arn:aws:iam::{AC}:role/ConnectReadOnly"}, Fa, "[Ops] ArnEquals different role")
ca(F, "equals-wildcard", {"ArnEquals": {PA: f"arn:aws:iam::{AC}:role/Connect*"}}, {PA: ROLE}, T, "[Ops] ArnEquals and ArnLike behave identically (wildcards honoured)")
ca(F, "like-account-star", {"ArnLike": {PA: "arn:aws:iam::*:role/Connect*"}}, {PA: ROLE}, T, "[Ops] ArnLike * in the account component")
ca(F, "like-user-vs-role", {"ArnLike": {PA: f"arn:aws:iam::{AC}:user/*"}}, {PA: ROLE}, Fa, "[Ops] ArnLike user/* does not match a role")
ca(F, "like-path", {"ArnLike": {PA: f"arn:aws:iam::{AC}:role/*"}}, {PA: f"arn:aws:iam::{AC}:role/service-role/ConnectIngest"}, T, "[Ops] * in the resource component matches '/' (role path)")
ca(F, "like-case-sensitive", {"ArnLike": {PA: f"arn:aws:iam::{AC}:role/connectadmin"}}, {PA: ROLE}, Fa, "[Ops] ARN operators are case-sensitive")
ca(F, "like-other-account", {"ArnLike": {PA: f"arn:aws:iam::{AC2}:role/*"}}, {PA: ROLE}, Fa, "[Ops] ArnLike account component differs")
ca(F, "like-componentwise", {"ArnLike": {SA: f"arn:aws:connect:*:{AC}:instance/*"}}, {SA: R_QUEUE}, T, "[Ops] ArnLike region * within its component; resource * spans the rest")
EX = "arn:aws:svc:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"
ca(F, "doc-example-arnlike", {"ArnLike": {SA: "arn:aws:svc:*:111122223333:finance/*"}}, {SA: EX}, Fa, "[Ops] ArnLike vs StringLike example: ArnLike region * may not cross ':'")
ca(F, "doc-example-stringlike", {"StringLike": {SA: "arn:aws:svc:*:111122223333:finance/*"}}, {SA: EX}, T, "[Ops] ArnLike vs StringLike example: StringLike * swallows colons")
ca(F, "like-region-qmark", {"ArnLike": {SA: f"arn:aws:connect:us-east-?:{AC}:instance/{I1}"}}, {SA: R_INST}, T, "[Ops] ArnLike ? in region")
ca(F, "like-qualified-view", {"ArnLike": {SA: sub("view", "*")}}, {SA: R_VIEWQ}, T, "[Ops][ARN] 6th component includes everything after the 5th colon, so * matches view/ID:$LATEST")
ca(F, "like-multi-or", {"ArnLike": {UA: [sub("agent", U2), sub("agent", U1)]}}, {UA: R_USER}, T, "[Cond] ArnLike OR over values")
ca(F, "like-missing", {"ArnLike": {UA: f"arn:aws:connect:*:{AC}:instance/*"}}, {}, Fa, "[Cond] missing key: ArnLike false")
ca(F, "equals-userarn", {"ArnEquals": {UA: R_USER}}, {UA: R_USER}, T, "[Ops] ArnEquals on connect:UserArn")
ca(F, "like-star-region-account", {"ArnLike": {UA: f"arn:aws:connect:*:*:instance/{I1}/agent/*"}}, {UA: sub("agent", U2)}, T, "[Ops] ArnLike * for region and account")
ca(F, "like-other-instance", {"ArnLike": {UA: f"arn:aws:connect:*:*:instance/{I1}/agent/*"}}, {UA: sub("agent", U2, I2)}, Fa, "[Ops] ArnLike other instance")
ca(F, "notequals-equal", {"ArnNotEquals": {PA: ROLE}}, {PA: ROLE}, Fa, "[Ops] ArnNotEquals equal -> false")
ca(F, "notequals-differs", {"ArnNotEquals": {PA: ROLE}}, {PA: ALICE}, T, "[Ops] ArnNotEquals differs -> true")
ca(F, "notequals-nor", {"ArnNotEquals": {PA: [ROLE, ALICE]}}, {PA: ALICE}, Fa, "[Cond] ArnNotEquals NOR")
ca(F, "notequals-missing", {"ArnNotEquals": {PA: ROLE}}, {}, T, "[Cond] missing key: ArnNotEquals true")
cd(F, "deny-notlike-outsider", {"ArnNotLike": {PA: [f"arn:aws:iam::{AC}:role/Connect*", f"arn:aws:iam::{AC}:user/admins/*"]}}, {PA: ALICE}, T, "[Cond] Deny ArnNotLike: principal matches no pattern")
cd(F, "deny-notlike-insider", {"ArnNotLike": {PA: [f"arn:aws:iam::{AC}:role/Connect*", f"arn:aws:iam::{AC}:user/admins/*"]}}, {PA: f"arn:aws:iam::{AC}:user/admins/root-ops"}, Fa, "[Cond] Deny ArnNotLike NOR: matches the second pattern")
cd(F, "deny-notlike-missing", {"ArnNotLike": {PA: f"arn:aws:iam::{AC}:role/Connect*"}}, {}, T, "[Cond] Deny ArnNotLike with missing key applies")
cd(F, "deny-arnlike-hit", {"ArnLike": {SA: "arn:aws:connect:eu-*:*:instance/*"}}, {SA: carn(f"instance/{I3}", "eu-west-2")}, T, "[Ops] Deny ArnLike region eu-*")
cd(F, "deny-arnlike-miss", {"ArnLike": {SA: "arn:aws:connect:eu-*:*:instance/*"}}, {SA: R_INST}, Fa, "[Ops] Deny ArnLike region eu-* vs us-east-1")
cd(F, "deny-arnequals-case", {"ArnEquals": {UA: R_USER.upper().replace("ARN:AWS:CONNECT:US-EAST-1:", "arn:aws:connect:us-east-1:")}}, {UA: R_USER}, Fa, "[Ops] ArnEquals case-sensitive in the resource component")
ca(F, "like-principalarn-role-not-session", {"ArnLike": {PA: f"arn:aws:iam::{AC}:role/ConnectSupervisor"}}, {PA: f"arn:aws:iam::{AC}:role/ConnectSupervisor"}, T, "[Vars] for a role session aws:PrincipalArn is the role ARN", principal=ROLE_SESS)
