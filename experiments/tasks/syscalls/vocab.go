package syscalls

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	ds "github.com/vigil-ml/vigil/datasets/syscalls"
	"github.com/vigil-ml/vigil/experiments/tasks"
)

// vocabFile holds a run's call vocabulary: the ids its models were
// trained with.
const vocabFile = "vocab.json"

// loadVocab is the vocabulary of the training traces, or, when env.From
// is a run that saved one, that run's: a saved model scored on other data
// (a champion on tomorrow's traces) then reads calls under its own ids,
// and calls it never saw become unknown. The vocabulary is saved to
// env.Out either way.
func loadVocab(train []ds.Trace, env tasks.Env) (*ds.Vocab, error) {
	var vocab *ds.Vocab
	if env.From != "" {
		b, err := os.ReadFile(filepath.Join(env.From, vocabFile))
		switch {
		case err == nil:
			var keys []string
			if err := json.Unmarshal(b, &keys); err != nil {
				return nil, fmt.Errorf("%s: %w", filepath.Join(env.From, vocabFile), err)
			}
			if vocab, err = ds.VocabFromKeys(keys); err != nil {
				return nil, fmt.Errorf("%s: %w", filepath.Join(env.From, vocabFile), err)
			}
		case !errors.Is(err, fs.ErrNotExist):
			return nil, err
		}
	}
	if vocab == nil {
		vocab = ds.BuildVocab(train)
	}
	if env.Out == "" {
		return vocab, nil
	}
	b, err := json.Marshal(vocab.Keys())
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(env.Out, 0o755); err != nil {
		return nil, err
	}
	return vocab, os.WriteFile(filepath.Join(env.Out, vocabFile), b, 0o644)
}
