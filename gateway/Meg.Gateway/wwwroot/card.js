// One card per protocol of a run: live progress from the job's event stream, then the output, what the UE received,
// the channel uses per link and a timeline of where the time went.

const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    // Styles through the CSSOM: the content security policy refuses style attributes.
    if (k === 'text') node.textContent = v; else if (k === 'style') node.style.cssText = v; else if (v !== undefined && v !== null) node.setAttribute(k, v);
  }
  node.append(...children);
  return node;
};

const received = { image: 'noisy image received', seed: 'received seed, decoded', sketch: 'received sketch' };
const fmt = n => Number(n).toLocaleString('en-US');

export class ResultCard {
  constructor(api, protocol, container) {
    this.api = api;
    this.protocol = protocol;
    this.stepEvents = 0;
    this.node = el('article', { class: 'card', 'data-testid': `result-${protocol}`, 'data-state': 'submitting', 'aria-live': 'polite', 'aria-busy': 'true' });
    this.state = el('span', { class: 'state', text: 'submitting' });
    this.progress = el('progress', { max: 1, value: 0, 'aria-label': `${protocol} steps done` });
    this.where = el('p', { class: 'meta' });
    this.pictures = el('div', { class: 'pictures' });
    this.preview = el('div', { class: 'preview', role: 'img', 'aria-label': 'nothing received yet' });
    this.pictures.append(el('figure', {}, this.preview, el('figcaption', { text: 'received so far' })));
    this.links = el('div');
    this.timeline = el('div');
    this.meta = el('p', { class: 'meta' });
    this.error = el('p', { class: 'error', role: 'alert' });
    this.node.append(el('h3', {}, el('span', { text: protocol }), this.state), this.progress, this.where, this.pictures, this.links, this.timeline, this.meta, this.error);
    container.append(this.node);
  }

  setState(state) {
    this.node.dataset.state = state;
    this.state.textContent = state;
  }

  fail(message) {
    this.setState('failed');
    this.node.setAttribute('aria-busy', 'false');
    this.error.textContent = message;
  }

  /** Follows job <id> to its end; answers its final status. */
  async follow(id) {
    this.id = id;
    this.node.dataset.jobId = id;
    this.setState('queued');
    this.meta.replaceChildren(`job ${id}`);
    let status = null;
    try {
      for await (const { type, data } of this.api.events(id)) {
        if (type === 'state') { this.setState(data.state); this.count(data); }
        else if (type === 'queue') this.where.textContent = `waiting at ${data.queue}: ${data.depth} waiting, ${data.inProgress} running; ${data.jobsInSystem} of ${data.maxJobs} jobs in the system`;
        else if (type === 'step') this.step(data);
        else if (type === 'end') { status = data; break; }
      }
    } catch (e) {
      this.where.textContent = `progress stream lost (${e.message}); waiting for the end`;
    }
    // A stream cut short: the status request's own wait (no polling) finds the end.
    while (!status || !['completed', 'failed'].includes(status.state)) status = await this.api.json(`/api/jobs/${id}?waitMs=30000`);
    await this.show(status);
    return status;
  }

  count(data) {
    this.progress.max = data.stepCount;
    this.progress.value = data.stepsDone;
  }

  step(data) {
    this.stepEvents++;
    this.node.dataset.stepEvents = this.stepEvents;
    this.count(data);
    this.where.textContent = `step ${data.step.index} done: ${data.step.description} on ${data.step.worker}`;
    if (data.preview) {
      this.api.png(`/api/jobs/${this.id}/${data.preview}`).then(({ url, headers }) => {
        this.preview.style.backgroundImage = `url(${url})`;
        this.preview.setAttribute('aria-label', `${headers.get('Meg-Received-Kind')} delivered by step ${data.step.index}`);
      }).catch(() => { /* a preview is a nicety */ });
    }
  }

  async show(status) {
    this.status = status;
    this.setState(status.state);
    this.count({ stepCount: status.stepCount, stepsDone: status.steps.length });
    this.where.textContent = `${status.steps.length} steps in ${(status.elapsedMs / 1000).toFixed(2)} s from submission`;
    const json = URL.createObjectURL(new Blob([JSON.stringify(status, null, 2)], { type: 'application/json' }));
    this.meta.replaceChildren(`job ${status.id} · `, el('a', { href: json, target: '_blank', rel: 'noopener', title: `GET /api/jobs/${status.id}`, text: 'JSON' }));
    if (status.state === 'failed') {
      this.fail(status.error || 'the job failed');
      return;
    }
    const [output, got] = await Promise.all([
      this.api.png(`/api/jobs/${status.id}/image`),
      this.api.png(`/api/jobs/${status.id}/received`).catch(() => null),
    ]);
    const figures = [el('figure', {}, el('img', { src: output.url, alt: `${this.protocol} output`, 'data-role': 'output' }), el('figcaption', { text: 'output' }))];
    if (got) {
      const kind = got.headers.get('Meg-Received-Kind');
      figures.push(el('figure', {}, el('img', { src: got.url, alt: `${this.protocol}: ${received[kind] || kind}`, 'data-role': 'received', title: got.headers.get('Meg-Received-Description') }),
        el('figcaption', { text: `UE: ${received[kind] || kind}` })));
    }
    this.pictures.replaceChildren(...figures);
    this.renderLinks(status);
    this.renderTimeline(status);
    this.node.setAttribute('aria-busy', 'false');
  }

  get channelUses() { return (this.status?.accounting || []).reduce((sum, l) => sum + l.channelUses, 0); }

  /** Channel uses per link as bars on a scale shared by every card of the run; and against Centralized. */
  renderLinks(status, scale = this.scale, centralized = this.centralized) {
    this.scale = scale; this.centralized = centralized;
    const max = scale || Math.max(1, ...status.accounting.map(l => l.channelUses));
    const rows = status.accounting.map(l => el('tr', {},
      el('td', { text: l.link }),
      el('td', {}, el('span', { class: `bar ${l.link}`, style: `width:${Math.max(1, 120 * l.channelUses / max)}px` })),
      el('td', { class: 'num', 'data-testid': `uses-${this.protocol}-${l.link}`, text: fmt(l.channelUses) }),
      el('td', { class: 'muted', text: `${fmt(l.bits)} bits` })));
    const total = this.channelUses;
    const ratio = centralized ? `${(total / centralized).toFixed(3)} × Centralized` : 'tick Centralized to compare';
    rows.push(el('tr', {}, el('td', { text: 'all' }), el('td', { class: 'muted', text: ratio, 'data-testid': `ratio-${this.protocol}` }),
      el('td', { class: 'num', 'data-testid': `uses-${this.protocol}-total`, text: fmt(total) }), el('td', { text: 'channel uses' })));
    this.links.replaceChildren(el('table', { class: 'links', 'aria-label': 'channel uses per link' }, el('tbody', {}, ...rows)));
  }

  /** Each step on a shared clock from submission: queue wait, service (of which compute), channel transfers. */
  renderTimeline(status) {
    const start = Date.parse(status.submittedAt);
    const end = Math.max(...status.steps.map(s => Date.parse(s.finishedAt)), start + 1);
    const span = end - start;
    const pct = ms => `${Math.max(0, 100 * ms / span).toFixed(2)}%`;
    const lanes = status.steps.map(s => {
      const finished = Date.parse(s.finishedAt);
      const began = finished - s.serviceMs;
      const queued = began - s.queueMs;
      const lane = el('div', { class: 'lane', title: `${s.index}: ${s.description} on ${s.worker}: queue ${s.queueMs.toFixed(1)} ms, service ${s.serviceMs.toFixed(1)} ms (compute ${s.computeMs.toFixed(1)} ms)` });
      lane.append(
        el('span', { class: 'q', style: `left:${pct(queued - start)};width:${pct(s.queueMs)}` }),
        el('span', { class: s.kind === 'transfer' ? 't' : 's', style: `left:${pct(began - start)};width:${pct(s.serviceMs)}` }),
        ...(s.kind === 'transfer' ? [] : [el('span', { class: 'c', style: `left:${pct(began - start)};width:${pct(s.computeMs)}` })]),
        el('span', { class: 'label', text: `${s.worker} ${s.kind === 'transfer' ? s.link : s.description.split(' ')[0]}` }));
      return lane;
    });
    const legend = el('p', { class: 'legend' },
      ...[['q', 'queue wait'], ['c', 'compute'], ['s', 'load/store'], ['t', 'channel']].map(([c, t]) => el('span', {}, el('i', { class: c, style: `background:var(--${{ q: 'queue', c: 'compute', s: 'service', t: 'channel' }[c]})` }), t)));
    this.timeline.replaceChildren(el('div', { class: 'timeline', 'aria-label': `timeline over ${span} ms` }, ...lanes), legend);
  }
}
