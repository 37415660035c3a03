/**
 * One authorization question as the engine sees it: action, resource, typed multivalued context keys
 * ({@code RequestContext}, {@code ContextValue}) and the caller as resource policies name it. Owns: IAM's
 * case-insensitive name folding ({@code IamNames}).
 */
package dev.edgeiam.request;
