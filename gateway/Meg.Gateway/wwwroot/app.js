// The MEG web page: builds its form from GET /api/model, runs one job per ticked protocol with the same prompt, sketch,
// seed and channel, and follows each on its event stream. Everything goes through the public API with the page's key.
import { Api, ApiError } from './api.js';
import { SketchPad } from './sketch.js';
import { ResultCard } from './card.js';
import { History } from './history.js';
import { watchQueues } from './queues.js';

const $ = selector => document.querySelector(selector);

/**
 * The key comes in the URL's fragment (#key=...), as ./meg up prints it: a fragment never leaves the browser (no server,
 * proxy or access log sees it). It is kept for this tab only and taken out of the address bar at once.
 */
function readKey() {
  const match = location.hash.match(/(?:^#|&)key=([^&]+)/);
  if (match) {
    sessionStorage.setItem('meg-key', decodeURIComponent(match[1]));
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem('meg-key');
}

const key = readKey();
const api = new Api(key);
let pad, model, running = false;

async function start() {
  try {
    model = await api.json('/api/model');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      $('#app').hidden = true;
      $('#key-needed').hidden = false;
      $('#key-form').addEventListener('submit', ev => {
        ev.preventDefault();
        sessionStorage.setItem('meg-key', $('#key-input').value.trim());
        location.reload();
      });
      return;
    }
    $('#run-summary').textContent = `The API does not answer: ${e.message}`;
    return;
  }
  $('#who').textContent = `${model.name} (${model.width}×${model.height}) · ${key ? 'signed in with your key' : 'no key (the system runs without access control)'}`;
  buildForm();
  pad = new SketchPad($('#sketch'), what => {
    $('#sketch-source').textContent = pad.file ? `Sending: ${pad.file.label}.` : what === 'cleared' ? 'Blank canvas.' : 'Sending: your drawing.';
    showErrors({});
  });
  $('#undo').addEventListener('click', () => pad.undoLast());
  $('#clear').addEventListener('click', () => pad.clear());
  $('#eraser').addEventListener('change', e => { pad.erasing = e.target.checked; });
  for (const r of document.querySelectorAll('input[name=pen]')) r.addEventListener('change', e => { pad.width = Number(e.target.value); });
  document.addEventListener('keydown', e => {
    if ((e.ctrlKey || e.metaKey) && e.key === 'z' && document.activeElement?.tagName !== 'TEXTAREA' && document.activeElement?.tagName !== 'INPUT') { e.preventDefault(); pad.undoLast(); }
  });
  $('#upload').addEventListener('change', async e => {
    const file = e.target.files[0];
    if (!file) return;
    try { await pad.load(file, `uploaded ${file.name} (${(file.size / 1024).toFixed(0)} KiB; the API resizes it)`); }
    catch { showErrors({ sketch: [`${file.name} is not an image this browser can read.`] }); }
  });
  $('#scene').addEventListener('change', async e => {
    if (!e.target.value) return;
    const blob = await (await api.send(`/api/model/scenes/${e.target.value}/sketch`)).blob();
    await pad.load(blob, `held-out scene ${e.target.value}`);
    $('#prompt').value = e.target.selectedOptions[0].dataset.caption;
  });
  $('#snr').addEventListener('input', e => { $('#snr-value').textContent = e.target.value; });
  $('#job-form').addEventListener('submit', async e => {
    e.preventDefault();
    if (running) return;
    if ($('input[name=seed-mode]:checked').value === 'random') $('#seed').value = Math.floor(Math.random() * 2 ** 31);
    const request = {
      prompt: $('#prompt').value,
      sketch: await pad.base64(),
      channel: $('#channel').value,
      snrDb: Number($('#snr').value),
      steps: Number($('#steps').value),
      guidance: Number($('#guidance').value),
      randomSeed: Number($('#seed').value),
    };
    const protocols = [...document.querySelectorAll('#protocols input:checked')].map(i => i.value);
    await run(request, protocols);
  });
  window.megHistory = new History(key, $('#history-list'), runAgain);
  watchQueues(api, $('#queues'));
}

function buildForm() {
  const protocols = $('#protocols');
  for (const p of [...model.protocols].sort((a, b) => b.caseStudy - a.caseStudy)) {
    const label = document.createElement('label');
    label.title = p.reading + (p.multiEdge ? ' (several edge servers)' : '');
    label.innerHTML = `<input type="checkbox" name="protocol"> <span></span> <span class="reading"></span>`;
    const box = label.querySelector('input');
    box.value = p.name;
    box.dataset.testid = `protocol-${p.name}`;
    box.checked = p.name === 'Centralized';
    label.querySelector('span').textContent = p.name;
    label.querySelector('.reading').textContent = p.reading;
    protocols.append(label);
  }
  $('#channel').replaceChildren(...model.channels.map(c => new Option(c, c, c === 'awgn', c === 'awgn')));
  $('#steps').max = model.maxSteps;
  $('#model-note').textContent = model.note;
  const vocabulary = $('#vocabulary');
  for (const [role, words] of Object.entries(model.vocabulary)) {
    if (!words.length) continue;
    const group = document.createElement('div');
    group.className = 'group';
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', role);
    group.append(Object.assign(document.createElement('span'), { textContent: role }));
    for (const word of words) {
      const b = Object.assign(document.createElement('button'), { type: 'button', textContent: word, title: `add “${word}” to the prompt` });
      b.addEventListener('click', () => insertWord(word));
      group.append(b);
    }
    vocabulary.append(group);
  }
  api.json('/api/model/scenes').then(scenes => {
    for (const s of scenes) {
      const option = new Option(`${s.id}: ${s.caption}`, s.id);
      option.dataset.caption = s.caption;
      $('#scene').append(option);
    }
  });
}

function insertWord(word) {
  const box = $('#prompt');
  const [a, b] = [box.selectionStart, box.selectionEnd];
  const before = box.value.slice(0, a), after = box.value.slice(b);
  const text = (before && !before.endsWith(' ') ? ' ' : '') + word + (after.startsWith(' ') ? '' : ' ');
  box.value = before + text + after;
  box.focus();
  box.selectionStart = box.selectionEnd = a + text.length;
}

/** The API's field errors next to their fields (each error element lists the fields it shows in data-field). */
function showErrors(errors) {
  const shown = new Set();
  for (const p of document.querySelectorAll('p.error[data-field]')) {
    const fields = p.dataset.field.split(' ');
    const messages = fields.flatMap(f => errors[f] || []);
    fields.filter(f => errors[f]).forEach(f => shown.add(f));
    p.textContent = messages.join(' ');
    const input = document.getElementById(p.id.replace('-error', ''));
    input?.setAttribute('aria-invalid', messages.length ? 'true' : 'false');
  }
  const rest = Object.entries(errors).filter(([f]) => !shown.has(f)).flatMap(([f, m]) => m.map(x => `${f}: ${x}`));
  if (rest.length) $('#form-error').textContent = rest.join(' ');
}

async function run(request, protocols) {
  showErrors({});
  if (!protocols.length) { showErrors({ protocol: ['Tick at least one protocol.'] }); return; }
  running = true;
  $('#run').disabled = true;
  const cards = $('#cards');
  cards.replaceChildren();
  $('#run-summary').textContent = `Running ${protocols.join(', ')}: “${request.prompt}”, ${request.channel} at ${request.snrDb} dB, seed ${request.randomSeed}.`;
  const submitted = await Promise.allSettled(protocols.map(protocol => api.submit({ ...request, protocol })));
  const refused = submitted.find(s => s.status === 'rejected' && [400, 413].includes(s.reason.status));
  if (refused) {
    // Bad input is the same for every protocol: show it once, by field, and run nothing.
    showErrors(Object.keys(refused.reason.errors).length ? refused.reason.errors : { request: [refused.reason.message] });
    $('#run-summary').textContent = 'The API refused the request; see the messages next to the fields.';
    running = false;
    $('#run').disabled = false;
    return;
  }
  const runs = protocols.map((protocol, i) => {
    const card = new ResultCard(api, protocol, cards);
    const s = submitted[i];
    if (s.status === 'rejected') {
      card.fail(s.reason.status === 503 ? `The system is full: ${s.reason.message} Try again in ${s.reason.problem.retryAfter ?? 'a few'} s.` : s.reason.message);
      return Promise.resolve(null);
    }
    return card.follow(s.value).then(() => card, e => { card.fail(e.message); return null; });
  });
  const jobs = Object.fromEntries(protocols.map((p, i) => [p, submitted[i].value]).filter(([, id]) => id));
  window.megHistory.add({ at: new Date().toISOString(), request, jobs });
  const done = (await Promise.all(runs)).filter(c => c?.status?.state === 'completed');
  // One scale for every card's bars, and each total against Centralized's in this run.
  const scale = Math.max(1, ...done.flatMap(c => c.status.accounting.map(l => l.channelUses)));
  const centralized = done.find(c => c.protocol === 'Centralized')?.channelUses;
  for (const c of done) c.renderLinks(c.status, scale, centralized);
  $('#run-summary').textContent = `Done: ${done.length} of ${protocols.length} completed. “${request.prompt}”, ${request.channel} at ${request.snrDb} dB, seed ${request.randomSeed}.`;
  running = false;
  $('#run').disabled = false;
}

/** Puts a past run's parameters back in the form and runs it again: the same sketch bytes, seed and settings. */
async function runAgain(past) {
  const r = past.request;
  $('#prompt').value = r.prompt;
  $('#channel').value = r.channel;
  $('#snr').value = r.snrDb; $('#snr-value').textContent = r.snrDb;
  $('#steps').value = r.steps;
  $('#guidance').value = r.guidance;
  $('#seed').value = r.randomSeed;
  document.querySelector('input[name=seed-mode][value=reuse]').checked = true;
  for (const box of document.querySelectorAll('#protocols input')) box.checked = past.jobs[box.value] !== undefined;
  await pad.restore(r.sketch, 'the sketch of that run');
  await run(r, Object.keys(past.jobs));
}

start();
