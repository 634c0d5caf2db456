// An alerter that keeps what it is given: integration tests assert on the alerts a worker raised.
import type { Alerter } from '../../src/alerts';
import type { RefundParkedAlert, SchemeFailingAlert } from '../../src/alerts/digest';

export function recordingAlerter(): Alerter & { parked: RefundParkedAlert[]; failing: SchemeFailingAlert[] } {
  const parked: RefundParkedAlert[] = [];
  const failing: SchemeFailingAlert[] = [];
  return {
    parked,
    failing,
    refundParked: (e) => void parked.push(e),
    schemeFailing: (e) => void failing.push(e),
    flush: async () => {},
    close: async () => {},
    stats: () => ({ accepted: parked.length + failing.length, delivered: 0, dropped: 0, attempts: 0 }),
  };
}
