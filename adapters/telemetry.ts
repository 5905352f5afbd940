/**
 * OpenTelemetry traces: one trace from the HTTP request through the Temporal client, the
 * workflow's Update handler and the activity down to its SQL. On only when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise nothing of the SDK is even loaded (every import
 * below is a type, and startTracing loads the rest), and no interceptor is installed.
 *
 * The process entry points call startTracing before they load express, pg or knex: the
 * instrumentations patch those modules as they are required.
 */
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { ClientInterceptors } from '@temporalio/client';
import type { WorkerOptions } from '@temporalio/worker';

export interface Tracing {
  /** For every Temporal Client of the process: the StartWorkflow / StartWorkflowUpdate spans and the trace header. */
  clientInterceptors: ClientInterceptors;
  /** For the worker: workflow interceptor modules (bundled with the workflows), activity interceptors, the span sink. */
  worker: Required<Pick<WorkerOptions, 'interceptors' | 'sinks'>>;
  /** Ends the SDK, sending the spans still buffered. */
  shutdown(): Promise<void>;
}

let active: Tracing | null = null;

/** The started tracing of this process, or null when it is off. */
export function tracing(): Tracing | null {
  return active;
}

/**
 * Starts the SDK when an OTLP endpoint is configured (or a span processor is given, as tests
 * do); null, at no cost, otherwise.
 */
export async function startTracing(
  config: {
    OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' | 'http/json';
    OTEL_SERVICE_NAME?: string | undefined;
  },
  serviceName: string,
  options: { spanProcessor?: SpanProcessor } = {},
): Promise<Tracing | null> {
  if (active) return active;
  const endpoint = config.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint && !options.spanProcessor) return null;

  const [sdkNode, sdkTrace, resources, http, express, pg, temporal] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-express'),
    import('@opentelemetry/instrumentation-pg'),
    import('@temporalio/interceptors-opentelemetry'),
  ]);
  let spanProcessor = options.spanProcessor;
  if (!spanProcessor) {
    // The base endpoint gets the signal's path appended (OTLP exporter spec).
    const url = `${endpoint!.replace(/\/+$/, '')}/v1/traces`;
    const { OTLPTraceExporter } =
      config.OTEL_EXPORTER_OTLP_PROTOCOL === 'http/json'
        ? await import('@opentelemetry/exporter-trace-otlp-http')
        : await import('@opentelemetry/exporter-trace-otlp-proto');
    spanProcessor = new sdkTrace.BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url }) });
  }
  // One resource for the process's own spans and for those its workflows send through the sink.
  const resource = resources.resourceFromAttributes({ 'service.name': config.OTEL_SERVICE_NAME ?? serviceName }).merge(
    resources.detectResources({
      detectors: [resources.hostDetector, resources.processDetector, resources.envDetector],
    }),
  );
  const sdk = new sdkNode.NodeSDK({
    resource,
    autoDetectResources: false,
    spanProcessors: [spanProcessor],
    // Traces only: metrics stay with Prometheus (/metrics), logs with pino.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new http.HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => ['/healthz', '/readyz', '/metrics'].includes(req.url ?? ''),
      }),
      // Middleware and router layers only add noise (a router span is named after its first route).
      new express.ExpressInstrumentation({
        ignoreLayersType: [express.ExpressLayerType.MIDDLEWARE, express.ExpressLayerType.ROUTER],
      }),
      // Statements without their parameter values (which carry personal data); none outside a trace.
      new pg.PgInstrumentation({ enhancedDatabaseReporting: false, requireParentSpan: true }),
    ],
  });
  sdk.start();

  const workflowSpans = workflowSpanProcessor(spanProcessor);
  active = {
    clientInterceptors: { workflow: [new temporal.OpenTelemetryWorkflowClientInterceptor()] },
    worker: {
      interceptors: {
        workflowModules: [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')],
        activity: [
          (ctx) => ({
            inbound: new temporal.OpenTelemetryActivityInboundInterceptor(ctx),
            outbound: new temporal.OpenTelemetryActivityOutboundInterceptor(ctx),
          }),
        ],
      },
      sinks: {
        // The interceptors' own types are of OpenTelemetry 1.x; the shapes are adapted below.
        exporter: temporal.makeWorkflowExporter(workflowSpans as never, resource as never),
      },
    },
    async shutdown() {
      active = null;
      await sdk.shutdown();
    },
  };
  return active;
}

/** A span as the Temporal interceptors (OpenTelemetry 1.x inside the workflow sandbox) hand it over. */
type WorkflowSpan = ReadableSpan & {
  parentSpanId?: string;
  instrumentationLibrary?: ReadableSpan['instrumentationScope'];
};

/**
 * Workflow spans name their parent by `parentSpanId` and their origin by `instrumentationLibrary`
 * (OpenTelemetry 1.x); this SDK's exporters read `parentSpanContext` and `instrumentationScope`.
 * Without the translation the Update handler's span would be a root of its own, cut off from the
 * HTTP request's trace.
 */
export function workflowSpanProcessor(target: SpanProcessor): SpanProcessor {
  return {
    onStart: () => undefined,
    onEnd: (span) => target.onEnd(fromWorkflowSpan(span as WorkflowSpan)),
    forceFlush: () => target.forceFlush(),
    // The SDK shuts the target down.
    shutdown: async () => undefined,
  };
}

export function fromWorkflowSpan(span: WorkflowSpan): ReadableSpan {
  const context = span.spanContext();
  return {
    ...span,
    spanContext: () => context,
    parentSpanContext:
      span.parentSpanContext ??
      (span.parentSpanId
        ? { traceId: context.traceId, spanId: span.parentSpanId, traceFlags: context.traceFlags, isRemote: false }
        : undefined),
    instrumentationScope: span.instrumentationScope ??
      span.instrumentationLibrary ?? { name: '@temporalio/interceptor-workflow' },
  };
}
