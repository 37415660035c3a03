package dev.edgeiam.lambda.local;

import dev.edgeiam.authorize.*;
import dev.edgeiam.aws.SnapshotPolicySource;
import dev.edgeiam.connect.*;
import dev.edgeiam.principal.CompiledPrincipal;
import dev.edgeiam.request.ContextValue;
import java.util.*;

/** Share of routes a cached route-level policy answers, for the sample principals (measurement tool). */
public final class CachedShare {
    public static void main(String[] args) throws Exception {
        SnapshotPolicySource src = SnapshotPolicySource.fromClasspath("/snapshot/sample-account.json");
        ArnContext ctx = new ArnContext("aws", "us-east-1", "111122223333");
        RouteTable routes = RouteTable.defaultTable();
        RouteAuthorizer auth = new RouteAuthorizer(ConnectCatalog.defaultCatalog(), arn -> Map.of(), false);
        RouteClassifier classifier = new RouteClassifier(routes, auth);
        for (String arn : args) {
            CompiledPrincipal p = CompiledPrincipal.compile(src.load(arn));
            List<ContextValue> keys = new ArrayList<>(p.contextKeys());
            keys.add(ContextValue.single("aws:RequestedRegion", "us-east-1"));
            keys.add(ContextValue.single("aws:PrincipalTag/connect-user-id", "carol-agent-0001"));
            Map<?, RouteAccess> m = classifier.classify(p.policies(), ctx, keys);
            long all = m.values().stream().filter(a -> a == RouteAccess.ALLOWED_FOR_ALL).count();
            long dep = m.values().stream().filter(a -> a == RouteAccess.DEPENDS_ON_PARAMETERS).count();
            System.out.println(arn + " routes=" + m.size() + " allowedForAll=" + all + " depends=" + dep);
        }
    }
}
