package dev.edgeiam.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.principal.ServiceControlChain;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.organizations.model.AwsOrganizationsNotInUseException;
import software.amazon.awssdk.services.organizations.model.Organization;
import software.amazon.awssdk.services.organizations.model.Parent;
import software.amazon.awssdk.services.organizations.model.PolicySummary;
import software.amazon.awssdk.services.organizations.model.PolicyType;
import software.amazon.awssdk.services.organizations.model.PolicyTypeStatus;
import software.amazon.awssdk.services.organizations.model.Root;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one account's SCP chain from AWS Organizations: {@code DescribeOrganization} (is the account in one, and
 * which is the management account), {@code ListRoots} (is the SCP policy type enabled), {@code ListParents} from the
 * account up to the root, {@code ListPoliciesForTarget} with {@code SERVICE_CONTROL_POLICY} for each entity, and
 * {@code DescribePolicy} once per distinct SCP. The result is the {@value ServiceControlPolicyFormat#MEMBER} member
 * of the account view.
 *
 * <p>Except {@code DescribeOrganization}, these calls can be made only by the organization's management account or
 * a member account registered as a delegated administrator for AWS Organizations; the client given here must carry
 * such credentials (see README "Permissions").
 */
public final class OrganizationsScpReader {

    /** The deepest chain AWS Organizations allows: the root, five levels of OUs, the account. */
    private static final int MAX_LEVELS = 7;

    private final OrganizationsClient organizations;

    public OrganizationsScpReader(OrganizationsClient organizations) {
        this.organizations = organizations;
    }

    /** The chain of {@code accountId}, in the account view's JSON form. */
    public ObjectNode read(String accountId) {
        Organization org;
        try {
            org = organizations.describeOrganization(r -> { }).organization();
        } catch (AwsOrganizationsNotInUseException e) {
            return ServiceControlPolicyFormat.write(accountId, null, null, false, List.of());
        }
        boolean enabled = false;
        for (Root root : organizations.listRootsPaginator(r -> { }).stream().flatMap(page -> page.roots().stream())
                .toList()) {
            enabled |= root.policyTypes().stream().anyMatch(t -> t.type() == PolicyType.SERVICE_CONTROL_POLICY
                    && t.status() == PolicyTypeStatus.ENABLED);
        }
        if (!enabled) {
            return ServiceControlPolicyFormat.write(accountId, org.id(), org.masterAccountId(), false, List.of());
        }
        List<String[]> entities = new ArrayList<>(); // {id, type}, account first
        String id = accountId;
        ServiceControlChain.TargetType type = ServiceControlChain.TargetType.ACCOUNT;
        while (true) {
            entities.add(0, new String[] {id, type.name()});
            if (type == ServiceControlChain.TargetType.ROOT) {
                break;
            }
            if (entities.size() >= MAX_LEVELS) {
                throw new IllegalStateException("the organization path of " + accountId + " is deeper than "
                        + MAX_LEVELS + " levels");
            }
            String child = id;
            List<Parent> parents = organizations.listParents(r -> r.childId(child)).parents();
            if (parents.size() != 1) {
                throw new IllegalStateException(child + " has " + parents.size() + " parents, expected one");
            }
            id = parents.get(0).id();
            type = switch (parents.get(0).type()) {
                case ROOT -> ServiceControlChain.TargetType.ROOT;
                case ORGANIZATIONAL_UNIT -> ServiceControlChain.TargetType.ORGANIZATIONAL_UNIT;
                default -> throw new IllegalStateException("unknown parent type of " + child + ": "
                        + parents.get(0).typeAsString());
            };
        }
        Map<String, String> documents = new HashMap<>();
        List<ServiceControlPolicyFormat.Target> targets = new ArrayList<>();
        for (String[] entity : entities) {
            List<ServiceControlPolicyFormat.Scp> scps = new ArrayList<>();
            for (PolicySummary p : organizations.listPoliciesForTargetPaginator(r -> r.targetId(entity[0])
                    .filter(PolicyType.SERVICE_CONTROL_POLICY)).stream().flatMap(page -> page.policies().stream())
                    .toList()) {
                String document = documents.computeIfAbsent(p.id(), pid ->
                        organizations.describePolicy(r -> r.policyId(pid)).policy().content());
                scps.add(new ServiceControlPolicyFormat.Scp(p.id(), p.name(), document));
            }
            targets.add(new ServiceControlPolicyFormat.Target(entity[0],
                    ServiceControlChain.TargetType.valueOf(entity[1]), scps));
        }
        return ServiceControlPolicyFormat.write(accountId, org.id(), org.masterAccountId(), true, targets);
    }
}
