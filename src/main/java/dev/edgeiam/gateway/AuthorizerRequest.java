package dev.edgeiam.gateway;

import dev.edgeiam.authorize.EdgeRequest;
import dev.edgeiam.authorize.EventFormat;
import dev.edgeiam.connect.QueryParameters;
import dev.edgeiam.request.NameMap;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an API Gateway Lambda authorizer event tells about the request, whatever its format (API Gateway
 * Developer Guide, "Input to an API Gateway Lambda authorizer", "Working with AWS Lambda authorizers for HTTP
 * APIs", WebSocket {@code $connect}). A REST {@code TOKEN} event carries only the token and the method ARN; its
 * query, headers and source address are then <em>unknown</em> ({@code queryKnown}/{@code headersKnown} false,
 * {@code sourceIp} null), not empty.
 *
 * @param format               which event format it was
 * @param methodArn            {@code methodArn} (REST, WebSocket) or {@code routeArn} (HTTP API 2.0)
 * @param token                the TOKEN event's {@code authorizationToken}, or null
 * @param credentialHeaders    headers as API Gateway keys its cache on them (one value per lower-cased name: REST
 *                             {@code headers} keeps the last of repeated values, HTTP API comma-joins them)
 * @param credentialQuery      query members as API Gateway keys on them ({@code queryStringParameters})
 * @param headers              every header value by lower-cased name ({@code multiValueHeaders} where present)
 * @param headersKnown         whether the event carries headers
 * @param query                every query member with all its values, as the back end receives them
 * @param queryKnown           whether the event carries the query (and its two views agree)
 * @param sourceIp             the caller's address as API Gateway saw it, or null when the event does not say
 * @param userAgent            {@code requestContext.identity.userAgent} / {@code http.userAgent}, or null
 * @param requestTimeEpochMillis {@code requestTimeEpoch} / {@code timeEpoch}, or 0 when the event has none
 * @param routeKey             the matched API route ({@code routeKey}; REST: method and resource), or null
 * @param identitySourceValues HTTP API 2.0 {@code identitySource}, or null
 * @param requestId            API Gateway's request id, or null
 */
public record AuthorizerRequest(EventFormat format, MethodArn methodArn, String token,
                                Map<String, String> credentialHeaders, Map<String, String> credentialQuery,
                                Map<String, List<String>> headers, boolean headersKnown, QueryParameters query,
                                boolean queryKnown, String sourceIp, String userAgent, long requestTimeEpochMillis,
                                String routeKey, List<String> identitySourceValues, String requestId) {

    public AuthorizerRequest {
        credentialHeaders = immutable(credentialHeaders);
        credentialQuery = immutable(credentialQuery);
        headers = immutable(headers);
        identitySourceValues = identitySourceValues == null ? null : List.copyOf(identitySourceValues);
    }

    /** The map as it is when it is immutable already (a {@link NameMap}, as the bytes reader makes), else a copy. */
    private static <V> Map<String, V> immutable(Map<String, V> map) {
        return map instanceof NameMap<V> kept ? kept : Map.copyOf(map);
    }

    /** A header by case-insensitive name, as API Gateway keys on it, or null. */
    public String header(String name) {
        return credentialHeaders.get(name.toLowerCase(Locale.ROOT));
    }

    /**
     * A header by case-insensitive name as {@link #header} gives it, but a long value still in the event's bytes is
     * given as it is held ({@link dev.edgeiam.request.DeferredText}), not made into a string: a credential's digest
     * is taken from those bytes. Reads as the same chars as {@link #header}; null when absent.
     */
    public CharSequence headerText(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        if (credentialHeaders instanceof NameMap<String> held && held.held(key) instanceof CharSequence text) {
            return text;
        }
        return credentialHeaders.get(key);
    }

    /**
     * The request as the authorization stage sees it; a time missing from the event (TOKEN) is the function's
     * clock, {@code now}.
     */
    public EdgeRequest toEdgeRequest(long nowEpochMillis) {
        boolean timed = requestTimeEpochMillis > 0;
        String path = methodArn.path().isEmpty() ? "/" : methodArn.path();
        return new EdgeRequest(format, methodArn.verb(), path, queryKnown ? query : QueryParameters.NONE, queryKnown,
                headersKnown ? headers : Map.of(), headersKnown, sourceIp, userAgent,
                timed ? requestTimeEpochMillis : nowEpochMillis, timed, methodArn.stage(), routeKey,
                identitySourceValues);
    }
}
