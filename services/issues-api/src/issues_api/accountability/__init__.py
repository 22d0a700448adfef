"""Accountability on record (约谈, 通报批评, 问责 …): what was decided about a unit and the issues it concerned."""
