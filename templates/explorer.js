/*
 * The report's explorer: findings, trust grants and roles as tables to filter, sort and search, the view
 * kept in the URL fragment (#explore?tab=...&severity=...) so a link reproduces it.
 *
 * Every value shown comes from the JSON island (#explorer-data), parsed with JSON.parse and put into the
 * page only as text nodes or as a class from a fixed list: role names, tags and policy values are
 * attacker-controlled. The page's CSP allows this script by its hash and nothing else, and forbids
 * string-to-markup sinks (Trusted Types), so a mistake here fails closed.
 *
 * Inlined verbatim and hashed: keep it printable ASCII, with no closing script tag or comment opener.
 */
(function () {
  'use strict';

  var root = document.getElementById('explore');
  var island = document.getElementById('explorer-data');
  var app = document.getElementById('explorer-app');
  if (!root || !island || !app) return;

  var data = null;
  try {
    data = JSON.parse(island.textContent || '');
  } catch (e) {
    data = null;
  }
  // With no usable data the section stays hidden and the report reads as it does without scripts.
  if (!data || data.v !== 1 || !Array.isArray(data.findings) || !Array.isArray(data.grants) || !Array.isArray(data.roles)) return;

  var PAGE = 100;
  var NONE = '(none)';
  var SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];
  var TONES = SEVERITIES.concat(['public', 'external', 'known-vendor', 'org-account', 'same-account', 'service',
    'federated-oidc', 'federated-saml', 'deleted', 'unknown', 'open', 'suppressed', 'suppression-expired']);
  var LABELS = {
    'federated-oidc': 'Federated (OIDC)', 'federated-saml': 'Federated (SAML)', 'org-account': 'Organization account',
    'same-account': 'Same account', 'known-vendor': 'Known vendor', 'suppression-expired': 'Suppression expired',
    used: 'Used', unused: 'Not used', unknown: 'Unknown', open: 'Open', suppressed: 'Suppressed'
  };
  var accounts = Array.isArray(data.accounts) ? data.accounts : [];
  var roles = data.roles;

  function text(v) {
    return v === undefined || v === null ? '' : String(v);
  }
  function label(v) {
    var t = text(v);
    if (t.length > 1 && t.charAt(t.length - 1) === '+' && SEVERITIES.indexOf(t.slice(0, -1)) >= 0) return label(t.slice(0, -1)) + ' or above';
    if (Object.prototype.hasOwnProperty.call(LABELS, t)) return LABELS[t];
    return t.charAt(0).toUpperCase() + t.slice(1).replace(/-/g, ' ');
  }
  function sevRank(s) {
    var i = SEVERITIES.indexOf(s);
    return i < 0 ? SEVERITIES.length : i;
  }
  function accountOf(row) {
    return text(accounts[row.a]);
  }
  function roleOf(row) {
    return row.r === undefined ? undefined : roles[row.r];
  }
  function ownerOfRole(role) {
    return role && role.o !== undefined ? text(role.o) : NONE;
  }
  function number(n) {
    return Number(n).toLocaleString('en-US');
  }

  /* Markup from parts: strings become text nodes, never parsed. */
  function el(tag, className, children) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (children !== undefined) {
      (Array.isArray(children) ? children : [children]).forEach(function (c) {
        if (c === undefined || c === null) return;
        node.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
      });
    }
    return node;
  }
  function badge(tone, caption) {
    var t = text(tone);
    return el('span', 'badge badge-' + (TONES.indexOf(t) >= 0 ? t : 'unknown'), caption === undefined ? label(t) : caption);
  }
  function link(anchor, caption) {
    var a = el('a', '', caption);
    // A fragment only: whatever the anchor holds, it cannot become a URL with a scheme.
    a.setAttribute('href', '#' + text(anchor));
    return a;
  }
  function usageCell(state, count, last) {
    if (state === 'used') return el('span', 'used', ['Used' + (count ? ' ' + number(count) + 'x' : ''), last ? el('div', 'small muted', 'last ' + last) : null]);
    if (state === 'unknown') return el('span', 'unknown-text', 'Unknown');
    return el('span', 'muted', 'Not used');
  }

  /* Filters read one value (or a list, for a role's principal classes) from a row. */
  function ordered(values, order) {
    return values.sort(function (x, y) {
      var ix = order ? order.indexOf(x) : -1;
      var iy = order ? order.indexOf(y) : -1;
      if (x === NONE) return 1;
      if (y === NONE) return -1;
      if (ix >= 0 || iy >= 0) return (ix < 0 ? 99 : ix) - (iy < 0 ? 99 : iy);
      return x < y ? -1 : x > y ? 1 : 0;
    });
  }
  var F = {
    severity: function (get) { return { id: 'severity', label: 'Severity', get: get, order: SEVERITIES, atLeast: true }; },
    rule: { id: 'rule', label: 'Rule', get: function (r) { return text(r.rule); } },
    account: { id: 'account', label: 'Account', get: accountOf },
    owner: function (get) { return { id: 'owner', label: 'Owner', get: get }; },
    cls: function (get) { return { id: 'class', label: 'Principal class', get: get, order: TONES }; },
    usage: function (get) { return { id: 'usage', label: 'Usage', get: get, order: ['used', 'unused', 'unknown', NONE] }; },
    status: function (get, order) { return { id: 'status', label: 'Status', get: get, order: order }; }
  };

  var TABLES = {
    findings: {
      title: 'Findings',
      noun: 'finding',
      rows: data.findings,
      defaultSort: 'severity',
      haystack: function (f) {
        var role = roleOf(f);
        return [f.t, f.m, f.rule, f.res, f.s, f.st, accountOf(f), role ? role.n : '', role ? role.arn : '', f.so, f.ow, role ? role.o : ''].join(' ');
      },
      filters: [
        F.severity(function (f) { return text(f.s); }),
        F.rule,
        F.account,
        F.owner(function (f) { return f.ow !== undefined ? text(f.ow) : ownerOfRole(roleOf(f)); }),
        F.cls(function (f) { return f.c === undefined ? NONE : text(f.c); }),
        F.usage(function (f) { return f.u === undefined ? NONE : text(f.u); }),
        F.status(function (f) { return text(f.st); }, ['open', 'suppression-expired', 'suppressed'])
      ],
      columns: [
        { id: 'severity', label: 'Severity', key: function (f) { return sevRank(f.s) * 1000 - Math.min(Number(f.score) || 0, 999); },
          cell: function (f) { return badge(f.s); } },
        { id: 'finding', label: 'Finding', key: function (f) { return text(f.t); },
          cell: function (f) { return [link(f.h, text(f.t)), el('div', 'small', text(f.m))]; } },
        { id: 'rule', label: 'Rule', key: function (f) { return text(f.rule); }, cell: function (f) { return el('span', 'mono small', text(f.rule)); } },
        { id: 'resource', label: 'Role or resource', key: function (f) { var r = roleOf(f); return r ? text(r.n) : text(f.res); },
          cell: function (f) { var r = roleOf(f); return r ? link(r.h, text(r.n)) : el('span', 'mono small', text(f.res)); } },
        { id: 'account', label: 'Account', key: accountOf, cell: accountOf },
        { id: 'owner', label: 'Owner', key: function (f) { return f.ow !== undefined ? text(f.ow) : ownerOfRole(roleOf(f)); },
          cell: function (f) { return f.ow !== undefined ? text(f.ow) : ownerOfRole(roleOf(f)); } },
        { id: 'status', label: 'Status', key: function (f) { return text(f.st); },
          cell: function (f) { return [badge(f.st), f.so !== undefined ? el('div', 'small muted', 'accepted by ' + text(f.so)) : null]; } }
      ]
    },
    grants: {
      title: 'Trust grants',
      noun: 'trust grant',
      rows: data.grants,
      defaultSort: '',
      haystack: function (g) {
        var role = roleOf(g);
        return [g.p, g.raw, g.c, g.k, (g.gd || []).join(' '), g.gv, g.cl, g.u, g.x, role ? role.n : '', role ? role.arn : '', role ? accountOf(role) : '', role ? role.o : ''].join(' ');
      },
      filters: [
        { id: 'account', label: 'Account', get: function (g) { var r = roleOf(g); return r ? accountOf(r) : NONE; } },
        F.owner(function (g) { return ownerOfRole(roleOf(g)); }),
        F.cls(function (g) { return text(g.c); }),
        F.usage(function (g) { return text(g.u); }),
        { id: 'guards', label: 'Guards', get: function (g) { return g.gd && g.gd.length ? 'guarded' : 'unguarded'; } },
        F.status(function (g) { return g.x === undefined ? 'effective' : 'denied'; }, ['effective', 'denied'])
      ],
      columns: [
        { id: 'principal', label: 'Principal', key: function (g) { return text(g.p); },
          cell: function (g) { return [el('div', '', text(g.p)), el('div', 'mono small arn', text(g.raw)), g.x !== undefined ? el('div', 'small', 'Denied by ' + text(g.x)) : null]; } },
        { id: 'class', label: 'Class', key: function (g) { return TONES.indexOf(text(g.c)); }, cell: function (g) { return badge(g.c); } },
        { id: 'role', label: 'Role', key: function (g) { var r = roleOf(g); return r ? text(r.n) : ''; },
          cell: function (g) { var r = roleOf(g); return r ? link(r.h, text(r.n)) : ''; } },
        { id: 'account', label: 'Account', key: function (g) { var r = roleOf(g); return r ? accountOf(r) : ''; },
          cell: function (g) { var r = roleOf(g); return r ? accountOf(r) : ''; } },
        { id: 'guards', label: 'Guards', key: function (g) { return (g.gd || []).length; },
          cell: function (g) { return g.gd && g.gd.length ? el('span', 'small', g.gd.join(', ')) : el('span', 'warn-text', 'None'); } },
        { id: 'usage', label: 'Usage', key: function (g) { return (g.u === 'used' ? 0 : g.u === 'unknown' ? 1 : 2) * 1e9 - (Number(g.n) || 0); },
          cell: function (g) { return usageCell(g.u, g.n, g.l); } },
        { id: 'last', label: 'Last seen', key: function (g) { return text(g.l); }, cell: function (g) { return text(g.l) || '-'; } }
      ]
    },
    roles: {
      title: 'Roles',
      noun: 'role',
      rows: roles,
      defaultSort: 'risk',
      defaultDir: 'desc',
      haystack: function (r) {
        return [r.n, r.arn, accountOf(r), r.o, (r.c || []).join(' '), r.d, r.t, r.cl, r.u, r.s].join(' ');
      },
      filters: [
        F.severity(function (r) { return r.s === undefined ? NONE : text(r.s); }),
        F.account,
        F.owner(ownerOfRole),
        F.cls(function (r) { return Array.isArray(r.c) && r.c.length ? r.c.map(text) : [NONE]; }),
        F.usage(function (r) { return text(r.u); })
      ],
      columns: [
        { id: 'role', label: 'Role', key: function (r) { return text(r.n); },
          cell: function (r) { return [link(r.h, text(r.n)), r.d !== undefined ? el('div', 'small muted', text(r.d)) : null]; } },
        { id: 'account', label: 'Account', key: accountOf, cell: accountOf },
        { id: 'owner', label: 'Owner', key: function (r) { return r.o === undefined ? '' : text(r.o); },
          cell: function (r) { return r.o === undefined ? el('span', 'muted', '-') : text(r.o); } },
        { id: 'classes', label: 'Trusted classes', key: function (r) { return (r.c || []).map(function (c) { return TONES.indexOf(text(c)); }).sort()[0]; },
          cell: function (r) { return (r.c || []).map(function (c) { return badge(c); }); } },
        { id: 'grants', label: 'Grants', key: function (r) { return Number(r.g) || 0; }, cell: function (r) { return number(r.g); }, num: true },
        { id: 'findings', label: 'Open findings', key: function (r) { return sevRank(r.s) * 1e6 - (Number(r.f) || 0); },
          cell: function (r) { return r.f ? [badge(r.s), ' ' + number(r.f)] : el('span', 'muted', 'none'); } },
        { id: 'usage', label: 'Last used', key: function (r) { return (r.u === 'unknown' ? '0' : '1') + text(r.l); },
          cell: function (r) { return r.u === 'unknown' ? el('span', 'unknown-text', 'Unknown') : r.l ? text(r.l) : el('span', 'warn-text', 'Never'); } },
        { id: 'risk', label: 'Risk', key: function (r) { return Number(r.r) || 0; }, cell: function (r) { return number(r.r); }, num: true }
      ]
    }
  };
  var TAB_ORDER = ['findings', 'grants', 'roles'];

  /* Search text per row, built once on first use. */
  Object.keys(TABLES).forEach(function (id) {
    var t = TABLES[id];
    t.id = id;
    t.filters = t.filters.filter(Boolean);
    t.hay = null;
    t.options = {};
  });
  function haystacks(t) {
    if (!t.hay) t.hay = t.rows.map(function (row) { return t.haystack(row).toLowerCase(); });
    return t.hay;
  }
  function options(t, f) {
    if (!t.options[f.id]) {
      // No prototype: a value such as "__proto__" (an owner tag can say anything) counts like any other.
      var counts = Object.create(null);
      t.rows.forEach(function (row) {
        var v = f.get(row);
        (Array.isArray(v) ? v : [v]).forEach(function (x) { counts[x] = (counts[x] || 0) + 1; });
      });
      var list = ordered(Object.keys(counts), f.order).map(function (v) { return { value: v, count: counts[v] }; });
      // Severity also as a threshold ("high+": high or above), the way findings are usually triaged.
      if (f.atLeast) {
        SEVERITIES.slice(1, -1).forEach(function (sev, i) {
          var n = 0;
          SEVERITIES.slice(0, i + 2).forEach(function (s) { n += counts[s] || 0; });
          list.push({ value: sev + '+', count: n });
        });
      }
      t.options[f.id] = list;
    }
    return t.options[f.id];
  }

  /* The view: which table, filters, search and sort, and how many rows are shown. */
  var state = { tab: 'findings', filters: {}, q: '', sort: '', dir: 'asc', shown: PAGE };

  function readHash() {
    var h = location.hash;
    if (h.indexOf('#explore') !== 0) return false;
    var params = new URLSearchParams(h.indexOf('?') >= 0 ? h.slice(h.indexOf('?') + 1) : '');
    var tab = params.get('tab');
    var next = { tab: TAB_ORDER.indexOf(tab) >= 0 ? tab : 'findings', filters: {}, q: params.get('q') || '', sort: '', dir: 'asc', shown: PAGE };
    var t = TABLES[next.tab];
    t.filters.forEach(function (f) {
      var v = params.get(f.id);
      if (v !== null && v !== '') next.filters[f.id] = v;
    });
    var sort = params.get('sort');
    if (sort && t.columns.some(function (c) { return c.id === sort; })) next.sort = sort;
    next.dir = params.get('dir') === 'desc' ? 'desc' : 'asc';
    state = next;
    return true;
  }
  function hashOf() {
    var params = new URLSearchParams();
    params.set('tab', state.tab);
    var t = TABLES[state.tab];
    t.filters.forEach(function (f) {
      if (state.filters[f.id] !== undefined) params.set(f.id, state.filters[f.id]);
    });
    if (state.q) params.set('q', state.q);
    if (state.sort) {
      params.set('sort', state.sort);
      params.set('dir', state.dir);
    }
    return '#explore?' + params.toString();
  }
  function writeHash() {
    var h = hashOf();
    if (location.hash === h) return;
    // Replace, not push: typing in the search box should not leave a history entry per key.
    try {
      history.replaceState(null, '', h);
    } catch (e) {
      location.replace(h);
    }
  }

  function matching(t) {
    var words = state.q.toLowerCase().split(/\s+/).filter(Boolean);
    var hay = words.length ? haystacks(t) : null;
    var active = t.filters.filter(function (f) { return state.filters[f.id] !== undefined; });
    var out = [];
    for (var i = 0; i < t.rows.length; i += 1) {
      var row = t.rows[i];
      var ok = true;
      for (var j = 0; ok && j < active.length; j += 1) {
        var v = active[j].get(row);
        var want = state.filters[active[j].id];
        if (active[j].atLeast && want.charAt(want.length - 1) === '+') ok = SEVERITIES.indexOf(v) >= 0 && sevRank(v) <= sevRank(want.slice(0, -1));
        else ok = Array.isArray(v) ? v.indexOf(want) >= 0 : v === want;
      }
      for (var k = 0; ok && k < words.length; k += 1) ok = hay[i].indexOf(words[k]) >= 0;
      if (ok) out.push(i);
    }
    var sortId = state.sort || t.defaultSort;
    var col = t.columns.filter(function (c) { return c.id === sortId; })[0];
    if (col) {
      var dir = (state.sort ? state.dir : t.defaultDir || 'asc') === 'desc' ? -1 : 1;
      var keys = {};
      out.forEach(function (i) { keys[i] = col.key(t.rows[i]); });
      out.sort(function (a, b) {
        var x = keys[a];
        var y = keys[b];
        var c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
        return c * dir || a - b;
      });
    }
    return out;
  }

  /* The controls are built once per table; the rows on every change. */
  var tabs = el('div', 'explorer-tabs');
  var controls = el('div', 'explorer-controls');
  var count = el('p', 'explorer-count');
  count.id = 'explorer-count';
  count.setAttribute('role', 'status');
  var table = el('table', 'data explorer-table');
  var thead = el('thead');
  var tbody = el('tbody');
  table.appendChild(thead);
  table.appendChild(tbody);
  var more = el('button', 'explorer-more', 'Show more');
  more.type = 'button';
  app.replaceChildren(tabs, controls, count, el('div', 'explorer-scroll', table), more);

  var search = el('input', 'explorer-search');
  search.type = 'search';
  search.id = 'explorer-search';
  search.placeholder = 'Names, ARNs, principals, tags, conditions, callers';
  search.setAttribute('aria-label', 'Search');
  var searchTimer = 0;
  search.addEventListener('input', function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(function () {
      state.q = search.value.trim();
      state.shown = PAGE;
      update();
    }, 120);
  });

  TAB_ORDER.forEach(function (id) {
    var b = el('button', 'explorer-tab', TABLES[id].title + ' (' + number(TABLES[id].rows.length) + ')');
    b.type = 'button';
    b.setAttribute('data-tab', id);
    b.addEventListener('click', function () {
      state = { tab: id, filters: {}, q: state.q, sort: '', dir: 'asc', shown: PAGE };
      build(true);
    });
    tabs.appendChild(b);
  });

  more.addEventListener('click', function () {
    state.shown += PAGE;
    render();
  });

  /* Only the reader's own changes write the fragment: opening the page at #role-... must keep that anchor. */
  function build(write) {
    var t = TABLES[state.tab];
    table.className = 'data explorer-table explorer-' + t.id;
    Array.prototype.forEach.call(tabs.children, function (b) {
      b.setAttribute('aria-pressed', b.getAttribute('data-tab') === state.tab ? 'true' : 'false');
    });
    var parts = [el('label', 'explorer-field', ['Search', search])];
    search.value = state.q;
    t.filters.forEach(function (f) {
      var select = el('select');
      select.setAttribute('data-filter', f.id);
      var all = el('option', '', 'All');
      all.value = '';
      select.appendChild(all);
      options(t, f).forEach(function (o) {
        var opt = el('option', '', (f.id === 'rule' || f.id === 'account' || f.id === 'owner' ? o.value : label(o.value)) + ' (' + number(o.count) + ')');
        opt.value = o.value;
        select.appendChild(opt);
      });
      // A value from a link that this report does not have still filters (to nothing) and says so.
      var current = state.filters[f.id];
      if (current !== undefined && !options(t, f).some(function (o) { return o.value === current; })) {
        var missing = el('option', '', current + ' (0)');
        missing.value = current;
        select.appendChild(missing);
      }
      select.value = current === undefined ? '' : current;
      select.addEventListener('change', function () {
        if (select.value === '') delete state.filters[f.id];
        else state.filters[f.id] = select.value;
        state.shown = PAGE;
        update();
      });
      parts.push(el('label', 'explorer-field', [f.label, select]));
    });
    var reset = el('button', 'explorer-reset', 'Clear');
    reset.type = 'button';
    reset.addEventListener('click', function () {
      state = { tab: state.tab, filters: {}, q: '', sort: '', dir: 'asc', shown: PAGE };
      build(true);
    });
    parts.push(reset);
    controls.replaceChildren.apply(controls, parts);

    var head = el('tr');
    t.columns.forEach(function (c) {
      var b = el('button', 'explorer-sort', c.label);
      b.type = 'button';
      b.setAttribute('data-sort', c.id);
      b.addEventListener('click', function () {
        if (state.sort === c.id) state.dir = state.dir === 'asc' ? 'desc' : 'asc';
        else {
          state.sort = c.id;
          state.dir = 'asc';
        }
        state.shown = PAGE;
        update();
      });
      var th = el('th', c.num ? 'num' : '', b);
      th.setAttribute('data-col', c.id);
      head.appendChild(th);
    });
    thead.replaceChildren(head);
    update(write);
  }

  var current = [];
  function update(write) {
    current = matching(TABLES[state.tab]);
    if (write !== false) writeHash();
    render();
  }

  function render() {
    var t = TABLES[state.tab];
    var sortId = state.sort || t.defaultSort;
    var dir = state.sort ? state.dir : t.defaultDir || 'asc';
    Array.prototype.forEach.call(thead.querySelectorAll('th'), function (th) {
      var id = th.getAttribute('data-col');
      if (id === sortId) th.setAttribute('aria-sort', dir === 'desc' ? 'descending' : 'ascending');
      else th.removeAttribute('aria-sort');
    });
    var shown = Math.min(state.shown, current.length);
    var rows = [];
    for (var i = 0; i < shown; i += 1) {
      var row = t.rows[current[i]];
      var tr = el('tr');
      t.columns.forEach(function (c) {
        tr.appendChild(el('td', c.num ? 'num' : 'wrap', c.cell(row)));
      });
      rows.push(tr);
    }
    tbody.replaceChildren.apply(tbody, rows);
    count.setAttribute('data-matching', String(current.length));
    count.setAttribute('data-total', String(t.rows.length));
    count.textContent = number(current.length) + ' of ' + number(t.rows.length) + ' ' + t.noun + 's match' +
      (shown < current.length ? '; showing the first ' + number(shown) : '') + '.';
    more.hidden = shown >= current.length;
  }

  window.addEventListener('hashchange', function () {
    if (readHash()) build(false);
  });

  root.hidden = false;
  var linked = readHash();
  build(false);
  if (linked) root.scrollIntoView();
  // For scripts/bench-explorer.mjs: when the explorer became usable, which can be long before the rest loads.
  if (window.performance && performance.mark) performance.mark('access-review-explorer-ready');
})();
