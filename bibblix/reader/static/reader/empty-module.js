// Stands in for construct-style-sheets-polyfill: the browsers Bibblix supports have constructable style sheets.
