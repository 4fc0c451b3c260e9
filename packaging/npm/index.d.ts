// kuaidi-kit: the 拇指云 express-tracking API's core (validation, carrier detection, interpretation,
// the catalogue of documented answers) as an ES module; loaded at import, every call synchronous.

/** The query's parameters, as they would be sent (`kddh` required by the API, the others optional). */
export interface QueryParams {
  kddh?: string;
  code?: string;
  tel?: string;
  appid?: string;
  sendtime?: string;
  sign?: string;
}

/** Checks of the vendor's own platform; absent keys: the Aliyun market (no own-platform checks). */
export interface ValidationOptions {
  own_platform?: boolean;
  now_ms?: number;
  algorithm?: 'md5' | 'sha256' | 'hmac_sha256';
  source_allowed?: boolean;
  apps?: { appid: string; secret: string; disabled?: boolean }[];
}

/** One carrier of the detection's ranked list. */
export interface CarrierCandidate {
  code: string;
  score: number;
  name_zh: string;
  name_en: string;
  reason: { zh: string; en: string };
  [key: string]: unknown;
}

export interface Detection {
  candidates: CarrierCandidate[];
  [key: string]: unknown;
}

/** The normalised request, or the documented answer the real API would give, plus advisories. */
export interface Validation {
  detection?: Detection;
  [key: string]: unknown;
}

/** An answer as it came back: status (0 when nothing did), headers if readable, body text. */
export interface HttpAnswer {
  http_status?: number;
  headers_readable?: boolean;
  headers?: Record<string, string> | [string, string][];
  body?: string;
  transport_error?: string;
}

/** What happened, billed or not, why, what to do, events newest first. */
export interface Interpretation {
  [key: string]: unknown;
}

/** One documented answer of the catalogue. */
export interface Scenario {
  id: string;
  ok: number;
  http_status: number;
  msg: string;
  billed: boolean;
  [key: string]: unknown;
}

export interface Carrier {
  code: string;
  name_zh: string;
  name_en: string;
  [key: string]: unknown;
}

/** The simulator's config, named as the core's simulator_config (kuaidi-mock's flags). */
export interface SimulatorConfig {
  gateway?: 'classic' | 'vpc';
  mode?: 'market' | 'own';
  appcodes?: ({ appcode: string; quota?: number | null; state?: string } | string)[];
  rate_limit?: number;
  latency?: string;
  fault_rate?: number;
  faults?: string;
  seed?: number;
  backend_timeout_ms?: number;
  max_url_length?: number;
  appcode_in_query?: boolean;
  expose_headers?: boolean;
  /** Where the simulated clock starts; synthetic parcels live around it (epoch seconds). */
  trace_anchor_seconds?: number;
  /** Simulated seconds per second of request time (default 0: the simulated clock stands still). */
  clock_rate?: number;
  [key: string]: unknown;
}

/** A request as the gateway receives it. */
export interface SimulatedRequest {
  method?: string;
  /** "/query?kddh=…" or an absolute URL of the API's host. */
  target: string;
  headers?: [string, string][];
  /** Arrival time (default: now). */
  nowMs?: number;
  remoteAddr?: string;
}

export interface SimulatedAnswer {
  status: number;
  headers: [string, string][];
  body: string;
  /** route, answered (catalogue id), billed, injected fault, latency_ms, masked AppCode, request id. */
  record: { route: string; answered: string | null; billed: boolean; injected: string | null; latency_ms: number; appcode: string; request_id: string };
}

/** The clock synthetic parcels live on: now and anchor as '2022-10-28T09:00:00+08:00'. */
export interface SimulatedClock {
  now: string;
  now_ms: number;
  rate: number;
  anchor: string;
/** What a client wasted or got wrong, by rule (see the README's referee table). */
export interface RefereeReport {
  findings: {
    rule: 'duplicate_billed_query' | 'retried_vendor_refusal' | 'call_after_quota_exhausted' |
      'no_backoff_after_throttle' | 'retry_storm_after_gateway_error' | 'appcode_in_query' |
      'missing_tel_for_carrier';
    count: number;
    billed_calls_wasted: number;
    first_request_id: string;
    last_request_id: string;
    explanation: { zh: string; en: string };
  }[];
  requests: number;
  billed: number;
  thresholds: {
    duplicate_window_ms: number;
    throttle_backoff_ms: number;
    storm_calls: number;
    storm_window_ms: number;
  };
}

export interface Simulator {
  answer(request: SimulatedRequest): SimulatedAnswer;
  accounts(): unknown;
  updateAccount(appcode: string, change: { remaining?: number | null; state?: string }): unknown;
  setFixtures(fixtures: object | string): { count: number };
  resetAccounts(): void;
  /** The simulated clock when the request clock reads nowMs (default: now), as GET /__admin/clock. */
  clock(nowMs?: number): SimulatedClock;
  /** Moves the simulated clock on: '30s', '15m', '6h', '2d'. Throws a TypeError for anything else. */
  advanceClock(span: string, nowMs?: number): SimulatedClock;
  /** Sets the simulated clock: an ISO time or epoch seconds. Throws a TypeError for anything else. */
  setClock(time: string, nowMs?: number): SimulatedClock;
  /** The referee's findings on the answers so far, as kuaidi-mock's GET /__admin/report. */
  report(): RefereeReport;
  /** Forgets what the referee has seen. */
  resetReport(): void;
  /** Frees the simulator's memory in the wasm module. */
  close(): void;
}

/** Throws a TypeError with the core's words when params is not a parameter object. */
export function validate(params: QueryParams, options?: ValidationOptions): Validation;
export function detectCarrier(trackingNumber: string): Detection;
/** Throws a TypeError when the answer is malformed (e.g. http_status not an integer). */
export function interpret(answer: HttpAnswer): Interpretation;
export function maskTrackingNumber(trackingNumber: string): string;
export const catalogue: readonly Scenario[];
export const carriers: readonly Carrier[];
/** Whether this build carries the core's simulator. */
export function hasSimulator(): boolean;
/** The service simulated as kuaidi-mock does; throws a TypeError for a bad config. */
export function createSimulator(config?: SimulatorConfig): Simulator;
