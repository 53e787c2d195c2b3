// The page's past runs, kept in this browser under a name derived from the key, so each key sees only its own runs.

const Keep = 20;

function fnv1a(text) {
  let h = 0x811c9dc5;
  for (const c of text) { h ^= c.codePointAt(0); h = Math.imul(h, 0x01000193) >>> 0; }
  return h.toString(16);
}

export class History {
  constructor(key, list, onRunAgain) {
    this.storageKey = `meg-history-${fnv1a(key || 'no-key')}`;
    this.list = list;
    this.onRunAgain = onRunAgain;
    this.render();
  }

  load() {
    try { return JSON.parse(localStorage.getItem(this.storageKey)) || []; } catch { return []; }
  }

  /** Records a run: its exact request (sketch bytes, seeds and all) and the job each protocol got. */
  add(run) {
    const runs = [run, ...this.load()].slice(0, Keep);
    try { localStorage.setItem(this.storageKey, JSON.stringify(runs)); } catch { /* storage full: keep the page working */ }
    this.render();
  }

  render() {
    const runs = this.load();
    this.list.replaceChildren(...runs.map((run, i) => {
      const li = document.createElement('li');
      const when = new Date(run.at).toLocaleString();
      const r = run.request;
      li.innerHTML = `<span class="prompt"></span><br><span class="params"></span> `;
      li.querySelector('.prompt').textContent = `“${r.prompt}”`;
      li.querySelector('.params').textContent =
        `${when} · ${Object.keys(run.jobs).join(', ')} · ${r.channel} at ${r.snrDb} dB · ${r.steps} steps · guidance ${r.guidance} · seed ${r.randomSeed}`;
      const again = document.createElement('button');
      again.type = 'button';
      again.textContent = 'Run again';
      again.setAttribute('aria-label', `Run again: ${r.prompt} (${when})`);
      again.addEventListener('click', () => this.onRunAgain(runs[i]));
      li.append(again);
      return li;
    }));
  }
}
