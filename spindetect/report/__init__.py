"""Stage 4, report: frozen results, family templates and their views.

``scan`` (ScanData: fields, records, summary), ``results`` (ScanResult: ScanData plus the methods that
reach html, plots, explain and store, which read a ScanData), ``template`` (the common skeleton of a
family).
"""
