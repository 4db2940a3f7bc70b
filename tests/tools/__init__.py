"""Independent tools the tests check govkg's output with: node scripts (package.json, pinned in
package-lock.json) and the helpers that start and stop servers (servers.py)."""
