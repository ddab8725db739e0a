// event.js — the event dashboard's live counts: refreshes the numbers every 15 s from
// /api/v1/events/ID/counts (same session). The page shows correct numbers without it.
(function () {
  'use strict';
  var box = document.getElementById('dash-totals');
  if (!box || !window.fetch) return;
  var url = box.getAttribute('data-counts');
  function set(el, v) { if (el && String(v) !== el.textContent) el.textContent = v; }
  function refresh() {
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) {
        if (!d) return;
        ['registered', 'approved', 'pending', 'checked_in'].forEach(function (k) {
          set(box.querySelector('[data-total="' + k + '"]'), d.total[k]);
          set(document.querySelector('#counts tfoot [data-k="' + k + '"]'), d.total[k]);
        });
        d.items.forEach(function (c) {
          var row = document.querySelector('#counts tr[data-category="' + c.category + '"]');
          if (!row) return;
          ['registered', 'pending', 'approved', 'checked_in'].forEach(function (k) {
            set(row.querySelector('[data-k="' + k + '"]'), c[k]);
          });
          var m = row.querySelector('meter');
          if (m) { m.max = c.approved; m.value = c.checked_in; }
        });
      })
      .catch(function () {});
  }
  setInterval(refresh, 15000);
})();
