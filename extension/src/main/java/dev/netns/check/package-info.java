/**
 * The linearizability search behind the public checker of the API package: a depth-first search
 * over call and return events with memoization, in the line of Wing and Gong, Lowe, and Porcupine.
 * It knows operations only by index and models only as a step function, so it imports nothing of
 * the project.
 */
package dev.netns.check;
