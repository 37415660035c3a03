/**
 * What the function tells the people who run it, kept apart from what it decides: the audit line of each
 * invocation ({@link dev.edgeiam.observe.Telemetry}), its metrics in CloudWatch Embedded Metric Format
 * ({@link dev.edgeiam.observe.Emf}), the X-Ray trace header ({@link dev.edgeiam.observe.TraceHeader}) and the AWS SDK
 * calls as X-Ray subsegments ({@link dev.edgeiam.observe.XRaySubsegments}, {@link dev.edgeiam.observe.SdkTracing}).
 * Pure Java plus Jackson (and the SDK's interceptor interface for the tracing): no Quarkus, no Lambda types, no AWS
 * API call on the request path — lines go to the log, subsegments to the local X-Ray daemon over UDP.
 */
package dev.edgeiam.observe;
