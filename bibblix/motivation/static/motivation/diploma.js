// The diploma's print button. The child's name stays in the page: it is never sent or stored.
document.getElementById('print-diploma')?.addEventListener('click', () => window.print())
