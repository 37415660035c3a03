package dev.edgeiam.evaluate;

import dev.edgeiam.corpus.Corpus;
import dev.edgeiam.corpus.CorpusCase;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks the oracle itself: {@link ReferenceEvaluator} must reach the corpus's expected decision (written from the
 * IAM pages, independently of both evaluators) on every decision case inside its subset — resource-based policies,
 * RCPs, callers of other accounts and upper-case ARN fields included. A case outside it (an operator or policy
 * element the generators never produce) is counted, not guessed; most cases must be inside.
 */
class ReferenceEvaluatorCorpusTest {

    @Test
    void referenceAgreesWithTheCorpus() {
        List<CorpusCase> cases = new ArrayList<>();
        Corpus.discover().forEach(f -> cases.addAll(f.cases()));
        cases.addAll(Corpus.load("/conformance/cases.jsonl"));
        List<String> wrong = new ArrayList<>();
        List<String> outside = new ArrayList<>();
        int checked = 0;
        int resourceSide = 0;
        for (CorpusCase c : cases) {
            if (c.expect() == null) {
                continue;
            }
            ReferenceEvaluator.Request request = new ReferenceEvaluator.Request(c.action(), c.resource());
            if (c.principal() != null) {
                request.caller(c.principal(), true); // as the simulator's CallerArn gives it
            }
            request.owner(c.resourceOwner());
            for (CorpusCase.ContextEntry e : c.context()) {
                if (e.type().endsWith("List")) {
                    request.putList(e.name(), e.values());
                } else {
                    request.put(e.name(), e.values().get(0));
                }
            }
            List<List<String>> scps = c.serviceControlPolicies().stream().map(List::of).toList();
            ReferenceEvaluator.PolicySet set = new ReferenceEvaluator.PolicySet(c.identityPolicies(),
                    c.permissionBoundaries().isEmpty() ? null : c.permissionBoundaries(),
                    c.sessionPolicy() == null ? null : List.of(c.sessionPolicy()), scps, c.federatedUser(),
                    c.resourcePolicy() == null ? null : List.of(c.resourcePolicy()),
                    c.resourceControlPolicies().stream().map(List::of).toList());
            Reason.Category got;
            try {
                got = ReferenceEvaluator.decide(set, request);
            } catch (ReferenceEvaluator.Unsupported u) {
                outside.add(c.id() + ": " + u.getMessage());
                continue;
            }
            checked++;
            if (c.hasResourceSide() || c.callerInAnotherAccount()) {
                resourceSide++;
            }
            String want = switch (c.expect()) {
                case Allowed -> "ALLOWED";
                case ExplicitlyDenied -> "EXPLICIT_DENY";
                case ImplicitlyDenied -> "IMPLICIT_DENY";
            };
            if (!got.name().equals(want)) {
                wrong.add(c + ": expected " + want + ", reference says " + got);
            }
        }
        assertEquals(List.of(), wrong, "the reference evaluator disagrees with the corpus");
        System.out.println("ReferenceEvaluatorCorpusTest: " + checked + " cases checked (" + resourceSide
                + " with a resource side or a caller of another account), " + outside.size()
                + " outside the subset: " + outside);
        assertTrue(checked >= 980 && resourceSide >= 300, "resource-side cases checked: " + resourceSide + "; "
                + "decision cases inside the reference's subset: " + checked + "; outside: " + outside);
    }
}
