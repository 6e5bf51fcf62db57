// The code editor: CodeMirror 6 with Python, line numbers, indentation and one state per file.
import { EditorState, Extension } from '@codemirror/state';
import { EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { indentOnInput, bracketMatching, syntaxHighlighting, defaultHighlightStyle, indentUnit } from '@codemirror/language';
import { python } from '@codemirror/lang-python';
import { t } from './strings';

export class CodeEditor {
  private states = new Map<string, EditorState>();
  private current = '';
  readonly view: EditorView;

  constructor(parent: HTMLElement, files: Record<string, string>, private onChange: (files: Record<string, string>) => void) {
    for (const [name, text] of Object.entries(files)) this.states.set(name, this.makeState(name, text));
    this.current = Object.keys(files)[0];
    this.view = new EditorView({ state: this.states.get(this.current), parent });
  }

  private makeState(name: string, text: string): EditorState {
    const ext: Extension[] = [
      lineNumbers(),
      highlightActiveLineGutter(),
      highlightActiveLine(),
      drawSelection(),
      history(),
      indentOnInput(),
      bracketMatching(),
      indentUnit.of('    '),
      syntaxHighlighting(defaultHighlightStyle),
      // Tab indents; Escape then Tab leaves the editor (CodeMirror's keyboard escape hatch).
      keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
      EditorView.contentAttributes.of({ 'aria-label': t.editorLabel(name) }),
      EditorView.updateListener.of((u) => {
        if (u.docChanged) this.onChange(this.files());
      }),
    ];
    if (name.endsWith('.py')) ext.push(python());
    return EditorState.create({ doc: text, extensions: ext });
  }

  fileNames(): string[] {
    return [...this.states.keys()];
  }

  activeFile(): string {
    return this.current;
  }

  show(name: string): void {
    this.states.set(this.current, this.view.state);
    this.current = name;
    this.view.setState(this.states.get(name) as EditorState);
  }

  files(): Record<string, string> {
    this.states.set(this.current, this.view.state);
    const out: Record<string, string> = {};
    for (const [n, s] of this.states) out[n] = s.doc.toString();
    return out;
  }

  setFile(name: string, text: string): void {
    const state = this.makeState(name, text);
    this.states.set(name, state);
    if (name === this.current) this.view.setState(state);
    this.onChange(this.files());
  }
}
