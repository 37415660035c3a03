package dev.edgeiam.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.compile.CompiledPolicy;
import dev.edgeiam.policy.PolicyException;
import dev.edgeiam.policy.PolicyParser;
import dev.edgeiam.policy.PolicyType;
import dev.edgeiam.principal.ServiceControlChain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The JSON form of an account's SCP chain: the top-level member {@value #MEMBER} of an account view (the
 * {@code GetAccountAuthorizationDetails} JSON, extended), and the format of {@code AUTHORIZER_SCP_FILE}:
 * <pre>
 * {"AccountId": "111122223333",
 *  "OrganizationId": "o-a1b2c3d4e5",            (null or absent: the account is in no organization)
 *  "ManagementAccountId": "999988887777",
 *  "ServiceControlPoliciesEnabled": true,
 *  "Levels": [                                   (root first, then each OU, the account last)
 *    {"TargetId": "r-ab12", "TargetType": "ROOT",
 *     "Policies": [{"PolicyId": "p-FullAWSAccess", "PolicyName": "FullAWSAccess", "Document": {...} or "..."}]},
 *    ...]}
 * </pre>
 * Documents are parsed with the strict policy parser as {@link PolicyType#SERVICE_CONTROL} and compiled when read;
 * any error rejects the whole chain (and so the view that carries it).
 */
public final class ServiceControlPolicyFormat {

    /** The top-level member of an account view that holds the chain. */
    public static final String MEMBER = "ServiceControlPolicies";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One SCP as read from AWS Organizations (document text as returned by {@code DescribePolicy}). */
    public record Scp(String policyId, String policyName, String document) {
    }

    /** One entity of the chain as read from AWS Organizations. */
    public record Target(String targetId, ServiceControlChain.TargetType type, List<Scp> policies) {
    }

    private ServiceControlPolicyFormat() {
    }

    /** Reads a file holding only the chain (the value of the member). */
    public static ServiceControlChain readFile(Path file) throws IOException {
        return read(JSON.readTree(Files.readAllBytes(file)));
    }

    /**
     * Reads and compiles a chain.
     *
     * @throws IllegalArgumentException with the JSON path of the first problem
     */
    public static ServiceControlChain read(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(MEMBER + " must be a JSON object");
        }
        String account = text(node, "AccountId", MEMBER);
        if (!account.matches("[0-9]{12}")) {
            throw new IllegalArgumentException(MEMBER + ".AccountId must be a 12-digit account id");
        }
        String org = optText(node, "OrganizationId");
        String management = optText(node, "ManagementAccountId");
        boolean enabled = node.path("ServiceControlPoliciesEnabled").asBoolean(org != null);
        List<ServiceControlChain.Level> levels = new ArrayList<>();
        JsonNode list = node.get("Levels");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw new IllegalArgumentException(MEMBER + ".Levels must be an array");
            }
            for (int i = 0; i < list.size(); i++) {
                String where = MEMBER + ".Levels[" + i + "]";
                JsonNode level = list.get(i);
                String id = text(level, "TargetId", where);
                ServiceControlChain.TargetType type;
                try {
                    type = ServiceControlChain.TargetType.valueOf(text(level, "TargetType", where)
                            .toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ".TargetType must be ROOT, ORGANIZATIONAL_UNIT or"
                            + " ACCOUNT");
                }
                JsonNode policies = level.get("Policies");
                if (policies == null || !policies.isArray()) {
                    throw new IllegalArgumentException(where + ".Policies must be an array");
                }
                List<String> ids = new ArrayList<>();
                List<CompiledPolicy> compiled = new ArrayList<>();
                for (int j = 0; j < policies.size(); j++) {
                    String pWhere = where + ".Policies[" + j + "]";
                    JsonNode p = policies.get(j);
                    String policyId = text(p, "PolicyId", pWhere);
                    String document = document(p.get("Document"), pWhere);
                    try {
                        compiled.add(CompiledPolicy.compile(PolicyParser.parse(document, PolicyType.SERVICE_CONTROL,
                                "scp:" + id + "/" + policyId)));
                    } catch (PolicyException e) {
                        throw new IllegalArgumentException(pWhere + ".Document does not parse: " + e.getMessage(), e);
                    }
                    ids.add(policyId);
                }
                levels.add(new ServiceControlChain.Level(id, type, ids, compiled));
            }
        }
        return new ServiceControlChain(account, org, management, enabled, levels);
    }

    /** Writes the member's value for a chain read from AWS Organizations (documents kept as their JSON text). */
    public static ObjectNode write(String accountId, String organizationId, String managementAccountId,
                                   boolean enabled, List<Target> targets) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("AccountId", accountId);
        out.put("OrganizationId", organizationId);
        out.put("ManagementAccountId", managementAccountId);
        out.put("ServiceControlPoliciesEnabled", enabled);
        ArrayNode levels = out.putArray("Levels");
        for (Target t : targets) {
            ObjectNode level = levels.addObject();
            level.put("TargetId", t.targetId());
            level.put("TargetType", t.type().name());
            ArrayNode policies = level.putArray("Policies");
            for (Scp p : t.policies()) {
                ObjectNode policy = policies.addObject();
                policy.put("PolicyId", p.policyId());
                policy.put("PolicyName", p.policyName());
                policy.put("Document", p.document());
            }
        }
        return out;
    }

    private static String document(JsonNode doc, String where) {
        if (doc == null || doc.isNull()) {
            throw new IllegalArgumentException(where + ".Document is missing");
        }
        if (doc.isTextual()) {
            return PolicyDocuments.decode(doc.asText());
        }
        try {
            return JSON.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ".Document cannot be written", e);
        }
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalArgumentException(where + "." + field + " must be a non-empty string");
        }
        return v.asText();
    }

    private static String optText(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isTextual() ? null : v.asText();
    }
}
