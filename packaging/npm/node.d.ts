// kuaidi-kit/node: the API simulated behind Node's global fetch (Node >= 20).
import type { RefereeReport, SimulatedClock } from './index.js';

export interface SimulateOptions {
  /** Pinned clock, ISO time, e.g. '2022-10-27T19:30:00+08:00' (default: the real clock). */
  now?: string;
  /** Which generation of the Aliyun gateway answers errors (default 'classic'). */
  gateway?: 'classic' | 'vpc';
  /** AppCodes the gateway accepts and their calls left; absent: any AppCode, unlimited. */
  appcodes?: Record<string, number | 'unlimited'>;
  /** The fixture file's JSON (as kuaidi-mock --fixtures reads it). */
  fixtures?: object;
  /** Simulated seconds per real second for synthetic parcels (default 0: the simulated clock stands
   * still); with `now`, the clock then starts there and runs on. */
  clockRate?: number;
}

export interface SimulationHandle {
  /** The simulated clock synthetic parcels live on. */
  clock(): SimulatedClock;
  /** Moves it on: '30s', '15m', '6h', '2d'; parcels on their way gain the events of that time. */
  advanceClock(span: string): SimulatedClock;
  /** Sets it: an ISO time such as '2022-10-28T09:00:00+08:00', or epoch seconds. */
  setClock(time: string): SimulatedClock;
  /** What the code under test wasted or got wrong so far (the referee), as GET /__admin/report. */
  report(): RefereeReport;
  /** Forgets what the referee has seen. */
  resetReport(): void;
  /** Puts the previous global dispatcher back; fetch reaches the real hosts again. */
  close(): Promise<void>;
}

/** The hosts answered in-process, over https and http. */
export const SIMULATED_HOSTS: readonly string[];

/**
 * From this call until close(), fetch to SIMULATED_HOSTS is answered by the core's simulator (any
 * status, 666 included; headers and bytes as kuaidi-mock sends them); other hosts pass through.
 * Throws a TypeError for a bad option, and an Error when this build has no simulator.
 */
export function simulate(options?: SimulateOptions): SimulationHandle;
