// duijie — small progressive enhancements; every page works without this file.
(function () {
  'use strict';
  // Filters: submit when a select changes (the button stays for keyboard and no-JS users).
  document.querySelectorAll('form.filters select').forEach(function (s) {
    s.addEventListener('change', function () { s.form.submit(); });
  });
  // Reject forms: ask before sending a listing back.
  document.querySelectorAll('form.reject').forEach(function (f) {
    f.addEventListener('submit', function (e) {
      var reason = f.querySelector('input[name=reason]');
      if (reason && !reason.value.trim()) { e.preventDefault(); reason.focus(); }
    });
  });
  // Print buttons (the personal agenda): inline handlers are blocked by the CSP.
  document.querySelectorAll('[data-print]').forEach(function (b) {
    b.addEventListener('click', function () { window.print(); });
  });
  // Forms: move focus to the first field marked with an error.
  var bad = document.querySelector('.has-error input, .has-error textarea, .has-error select');
  if (bad) bad.focus();
})();
