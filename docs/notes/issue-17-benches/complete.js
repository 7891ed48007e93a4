new Promise((done) => {
  const check = () => {
    const main = document.querySelector('main');
    const count = document.querySelector('[data-testid="compare-count"]');
    const canvases = [...document.querySelectorAll('.canvas-box canvas')];
    const drawn = canvases.length > 0 && canvases.every((c) => {
      const box = c.parentElement;
      if (box.clientWidth === 0) return true;
      const [w, h] = (c.dataset.drawnSize || '0x0').split('x').map(Number);
      return Math.abs(w - box.clientWidth) <= 1 && Math.abs(h - box.clientHeight) <= 1;
    });
    if (main && main.getAttribute('aria-busy') === 'false' && count && /^\d+ runs? in \d+ configurations?/.test(count.textContent.trim()) && document.querySelector('[data-chart="cost"]') && drawn) done(performance.now());
    else requestAnimationFrame(check);
  };
  check();
})