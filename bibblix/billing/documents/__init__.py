"""Invoice documents (Peppol BIS 3.0 UBL, PDF, SIE 4i, CSV/XLSX ledger), each made from the same
plain `InvoiceDocument` (see data.py), never from the models directly."""
