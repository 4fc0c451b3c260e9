// 快进 6 小时 (developer mode, 演示): the simulated clock synthetic parcels live on moves six hours
// on, in the page's own simulator and, when kuaidi-mock serves the page, on the server too, so a
// polling client's view of a parcel in transit can be tried without waiting.

const STEP = { advance: '6h' };

// "2026-12-06T18:00:00+08:00" → "2026-12-06 18:00:00", as the API writes event times.
const shown = (iso) => iso.slice(0, 19).replace('T', ' ');

async function advanceServer() {
  const response = await fetch(new URL('__admin/clock', location.href), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(STEP),
    cache: 'no-store',
  });
  const reply = await response.json();
  if (!response.ok) throw new Error(reply.error || `HTTP ${response.status}`);
  return reply;
}

// button and status are elements; simulator() the page's simulator (or null); served() whether
// kuaidi-mock serves the page; t(key, values) the page's labels.
export function initClock({ button, status, simulator, served, t }) {
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const inPage = simulator()?.changeClock(STEP);
      const clock = served() ? await advanceServer() : inPage;
      status.textContent = clock ? t('clock.moved', { time: shown(clock.now) }) : '';
    } catch (error) {
      status.textContent = t('clock.failed', { error: error.message });
    } finally {
      button.disabled = false;
    }
  });
}
