"""Stage 4, report: frozen results, family templates and their views.

``results`` (ScanResult, Clusters), ``template`` (the common skeleton of a family).
"""
