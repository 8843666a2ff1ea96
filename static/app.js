// Progressive enhancement only: every page works without this file.
// A "Resend code" button carries data-wait="SECONDS": count down and enable it at zero.
// The words match the page's ("30 seconds", "59 minutes").
function waitWords(s) {
  if (s < 60) return s === 1 ? "1 second" : s + " seconds";
  var m = Math.ceil(s / 60);
  if (m < 60) return m === 1 ? "1 minute" : m + " minutes";
  var h = Math.ceil(s / 3600);
  return h === 1 ? "1 hour" : h + " hours";
}
document.querySelectorAll("[data-wait]").forEach(function (button) {
  var left = parseInt(button.getAttribute("data-wait"), 10);
  var label = button.textContent;
  var note = document.getElementById(button.getAttribute("aria-describedby"));
  function tick() {
    if (left <= 0) {
      button.disabled = false;
      button.textContent = label;
      if (note) note.textContent = "You can ask for a new code now.";
      return;
    }
    button.disabled = true;
    button.textContent = label + " (" + waitWords(left) + ")";
    if (note) note.textContent = "You can ask for a new code in " + waitWords(left) + ".";
    left -= 1;
    setTimeout(tick, 1000);
  }
  tick();
});
