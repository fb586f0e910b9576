"""Reports for officials: the learning funnel, practice outcomes and small-count suppression."""
