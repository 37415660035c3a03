package dev.edgeiam.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.compile.CompiledPolicy;
import dev.edgeiam.evaluate.CompiledPolicySet;
import dev.edgeiam.policy.PolicyDocument;
import dev.edgeiam.policy.PolicyParser;
import dev.edgeiam.policy.PolicyType;
import dev.edgeiam.request.ContextValue;
import dev.edgeiam.request.RequestContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One benchmark scenario ({@code /bench/scenario-<name>.json}, see {@code src/jmh/resources/bench/SOURCE.md}):
 * its identity policies as text, parsed and compiled, and its requests as raw fields and as built
 * {@link RequestContext}s. Loaded in {@code @Setup}, never on a measured path.
 */
public final class Scenario {

    /** The policy type the scenario policies are read as (the simulator's; no customer quota gets in the way). */
    public static final PolicyType TYPE = PolicyType.SIMULATION;

    static final ObjectMapper MAPPER = new ObjectMapper();

    /** One request of the scenario, as the JSON gives it. */
    public record RawRequest(String principal, String action, String resource, List<ContextValue> context) {

        /** Builds the request context the way a caller would: every key put once. */
        public RequestContext build() {
            RequestContext.Builder b = RequestContext.builder(action, resource);
            for (int i = 0; i < context.size(); i++) {
                b.put(context.get(i));
            }
            return b.build();
        }
    }

    public final String name;
    public final List<String> policyNames;
    public final List<String> policyTexts;
    public final List<PolicyDocument> documents;
    public final List<CompiledPolicy> compiled;
    public final CompiledPolicySet set;
    public final List<RawRequest> rawRequests;
    public final RequestContext[] requests;
    private final JsonNode json;

    private Scenario(String name, JsonNode json) {
        this.name = name;
        this.json = json;
        List<String> names = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (JsonNode p : json.get("identityPolicies")) {
            names.add(p.get("name").asText());
            texts.add(p.get("policy").toPrettyString());
        }
        this.policyNames = List.copyOf(names);
        this.policyTexts = List.copyOf(texts);
        List<PolicyDocument> docs = new ArrayList<>();
        List<CompiledPolicy> comp = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            PolicyDocument d = PolicyParser.parse(texts.get(i), TYPE, names.get(i));
            docs.add(d);
            comp.add(CompiledPolicy.compile(d));
        }
        this.documents = List.copyOf(docs);
        this.compiled = List.copyOf(comp);
        this.set = CompiledPolicySet.builder().identity(compiled).build();
        List<RawRequest> raw = new ArrayList<>();
        for (JsonNode r : json.get("requests")) {
            raw.add(new RawRequest(r.get("principal").asText(), r.get("action").asText(), r.get("resource").asText(),
                    context(r.get("context"))));
        }
        this.rawRequests = List.copyOf(raw);
        this.requests = new RequestContext[raw.size()];
        for (int i = 0; i < requests.length; i++) {
            requests[i] = raw.get(i).build();
        }
        if (requests.length == 0 || policyTexts.isEmpty()) {
            throw new IllegalStateException("scenario " + name + " has no requests or no policies");
        }
    }

    public static Scenario load(String name) {
        String path = "/bench/scenario-" + name + ".json";
        try (InputStream in = Scenario.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no scenario " + path + " on the class path");
            }
            return new Scenario(name, MAPPER.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<ContextValue> context(JsonNode node) {
        List<ContextValue> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isArray()) {
                List<String> values = new ArrayList<>();
                e.getValue().forEach(v -> values.add(v.asText()));
                out.add(ContextValue.multi(e.getKey(), values));
            } else {
                out.add(ContextValue.single(e.getKey(), e.getValue().asText()));
            }
        }
        return List.copyOf(out);
    }

    /**
     * The {@code SimulateCustomPolicy} event for request {@code i}: every scenario policy in
     * {@code PolicyInputList}, the request's action and resource, its context as {@code string}/{@code stringList}
     * entries and the principal as {@code CallerArn}; serialised to bytes as it would arrive.
     */
    public byte[] simulateEvent(int i) {
        JsonNode r = json.get("requests").get(i);
        ObjectNode event = MAPPER.createObjectNode();
        ObjectNode body = event.putObject("SimulateCustomPolicy");
        ArrayNode policies = body.putArray("PolicyInputList");
        policyTexts.forEach(policies::add);
        body.putArray("ActionNames").add(r.get("action").asText());
        body.putArray("ResourceArns").add(r.get("resource").asText());
        body.put("CallerArn", r.get("principal").asText());
        ArrayNode entries = body.putArray("ContextEntries");
        Iterator<Map.Entry<String, JsonNode>> it = r.get("context").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            ObjectNode entry = entries.addObject();
            entry.put("ContextKeyName", e.getKey());
            ArrayNode values = entry.putArray("ContextKeyValues");
            if (e.getValue().isArray()) {
                e.getValue().forEach(v -> values.add(v.asText()));
                entry.put("ContextKeyType", "stringList");
            } else {
                values.add(e.getValue().asText());
                entry.put("ContextKeyType", "string");
            }
        }
        try {
            return MAPPER.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
