// Progressive enhancement only: every page works without this file.
// A "Resend code" button carries data-wait="SECONDS": count down and enable it at zero.
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
    button.textContent = label + " (" + left + " s)";
    if (note) note.textContent = "You can ask for a new code in " + left + " seconds.";
    left -= 1;
    setTimeout(tick, 1000);
  }
  tick();
});
