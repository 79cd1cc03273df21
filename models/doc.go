// Package models defines what a model family is: the interface every
// package under models/ implements (its config section, its graphs, its
// training task and its scores) and the registry that the experiment runner
// looks kinds up in. A family never sees files, users or traces: a task
// hands it Examples, fixed-size records of float and integer features, and
// gets named Scores back.
package models
