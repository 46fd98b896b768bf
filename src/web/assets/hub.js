// graphhub's only script. Pages work without it; it adds search as you
// type, loads "Used in the wild" after the page, and copies the MCP
// configuration. It reads its data from data-* attributes and fetches HTML
// fragments the server rendered (and escaped); it never builds HTML from data.
'use strict';

function replaceWithFragment(container, text) {
  const template = document.createElement('template');
  template.innerHTML = text;
  container.replaceChildren(template.content);
}

function setupSearch(input) {
  const target = document.getElementById(input.dataset.searchTarget || '');
  if (!target) return;
  let timer;
  let controller;
  let last = input.value.trim();
  const run = async () => {
    const text = input.value.trim();
    if (text === last) return;
    last = text;
    if (controller) controller.abort();
    if (text === '') {
      target.replaceChildren();
      return;
    }
    controller = new AbortController();
    try {
      const response = await fetch('/-/search?fragment=1&q=' + encodeURIComponent(text), { signal: controller.signal });
      replaceWithFragment(target, await response.text());
    } catch (error) {
      if (error.name !== 'AbortError') target.textContent = 'search failed: ' + error.message;
    }
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(run, 120);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      input.value = '';
      last = '';
      target.replaceChildren();
    }
  });
}

async function loadLater(section) {
  const status = section.querySelector('[data-status]');
  try {
    const response = await fetch(section.dataset.src);
    const text = await response.text();
    const body = section.querySelector('[data-body]');
    replaceWithFragment(body, text);
    if (status) status.remove();
    section.dataset.state = response.ok ? 'done' : 'error';
  } catch (error) {
    if (status) status.textContent = 'could not load: ' + error.message;
    section.dataset.state = 'error';
  }
}

async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  // Plain-HTTP hubs on another host have no clipboard API: fall back to a selection copy.
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  const copied = document.execCommand('copy');
  area.remove();
  if (!copied) throw new Error('the browser refused to copy');
}

function setupMcpButton(button) {
  const status = document.getElementById(button.dataset.statusTarget || '');
  button.addEventListener('click', async () => {
    try {
      await copyText(button.dataset.mcpConfig);
      if (status) status.textContent = 'copied ✓';
      button.dataset.copied = 'true';
    } catch (error) {
      if (status) status.textContent = 'copy failed: ' + error.message + ' (see MCP config)';
    }
    setTimeout(() => {
      if (status) status.textContent = '';
    }, 4000);
  });
}

document.querySelectorAll('input[data-search-target]').forEach(setupSearch);
document.querySelectorAll('[data-src]').forEach(loadLater);
document.querySelectorAll('button[data-mcp-config]').forEach(setupMcpButton);
