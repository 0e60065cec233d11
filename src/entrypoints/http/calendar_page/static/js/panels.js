// Side panels that open and close: the attention list (the free-vehicles panel lives in booking.js).
export function initAttentionPanel(load) {
  const panel = document.getElementById("attention-panel");
  document.getElementById("open-attention").addEventListener("click", async () => {
    panel.hidden = false;
    await load();
    document.getElementById("attention-refresh").focus();
  });
  document.getElementById("attention-refresh").addEventListener("click", load);
  document.getElementById("attention-close").addEventListener("click", () => (panel.hidden = true));
}
