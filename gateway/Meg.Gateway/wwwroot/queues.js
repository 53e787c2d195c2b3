// The system's queues, live: each node's waiting and running commands and mean waits (GET /api/system/queues).

const Every = 1000;

export function watchQueues(api, section) {
  const body = section.querySelector('tbody');
  const jobs = section.querySelector('#queues-jobs');
  const at = section.querySelector('#queues-at');
  const ms = v => (v === null || v === undefined ? '–' : `${v.toFixed(0)} ms`);
  async function refresh() {
    if (document.hidden) return;
    try {
      const q = await api.json('/api/system/queues');
      const deepest = Math.max(1, ...q.nodes.map(n => n.depth));
      body.replaceChildren(...q.nodes.map(n => {
        const tr = document.createElement('tr');
        const cell = (tag, text) => Object.assign(tr.appendChild(document.createElement(tag)), { textContent: text });
        cell('th', n.queue).scope = 'row';
        const waiting = cell('td', ` ${n.depth}`);
        const bar = waiting.insertBefore(document.createElement('span'), waiting.firstChild);
        bar.className = 'bar';
        bar.style.width = `${Math.max(1, 80 * n.depth / deepest)}px`; // the CSSOM: style attributes are refused
        cell('td', n.inProgress);
        cell('td', ms(n.meanWaitMs));
        cell('td', ms(n.meanServiceMs));
        return tr;
      }));
      jobs.textContent = `${q.jobsInSystem} of ${q.maxJobs} jobs in the system` + (q.completionsPerSecond ? `; ${q.completionsPerSecond.toFixed(2)} ended/s` : '');
      at.textContent = new Date(q.at).toLocaleTimeString();
    } catch (e) {
      jobs.textContent = `queues unavailable: ${e.message}`;
    }
  }
  refresh();
  return setInterval(refresh, Every);
}
